package oidc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/oauthkit/oauth/oauth2"
)

// Provider is an OpenID provider or OAuth 2 authorization server found by
// discovery: its [Metadata], kept fresh as the server's Cache-Control
// allows, and its JWK Set, fetched when a token needs it. Create one with
// [NewProvider]. A Provider is safe for concurrent use by multiple
// goroutines.
type Provider struct {
	issuer string
	f      *fetcher
	meta   cache[*Metadata]
	keys   *RemoteKeySet
}

// NewProvider discovers the provider whose issuer identifier is issuer:
// it fetches the OpenID Connect discovery document,
// issuer + "/.well-known/openid-configuration" (OpenID Connect Discovery
// 1.0 §4), and, when that URL answers with a 4xx status, the RFC 8414
// document, "/.well-known/oauth-authorization-server" inserted before the
// issuer's path (RFC 8414 §3.1). The OpenID document comes first because
// it is the one every OpenID provider serves (some serve no other) and the
// one with the members ID tokens and UserInfo need; a server that is only
// an OAuth 2 authorization server (RFC 8414, as MCP servers are) costs one
// request more. Any other failure of the first request (5xx, network,
// malformed document, wrong issuer) is returned without trying the second.
//
// The document's "issuer" must be issuer byte for byte, or NewProvider
// fails with an error wrapping [ErrIssuerMismatch]: this is what stops a
// document of one server from sending the client to another (RFC 8414
// §3.3, mix-up). One exception: Microsoft Entra's multi-tenant issuers,
// "https://login.microsoftonline.com/common/v2.0" and
// ".../organizations/v2.0", publish the issuer
// "https://login.microsoftonline.com/{tenantid}/v2.0", and a document
// whose issuer holds "{tenantid}" once where issuer has "common" or
// "organizations" is accepted; [Provider.Verifier] then checks each ID
// token's issuer against its tenant. issuer itself must be an https URL
// without query or fragment (http is accepted for loopback hosts and with
// opts.InsecureAllowHTTP), and so must every endpoint of the document,
// or the error wraps oauth2.ErrInsecureTransport. A document that does not
// parse gives an error wrapping [ErrMalformedMetadata], an error status an
// *oauth2.Error with Endpoint "discovery", a body over the limit a wrapped
// *http.MaxBytesError.
//
// ctx bounds the requests NewProvider makes, and opts.Timeout each of them
// when ctx has no deadline; the Provider keeps no context. opts may be
// nil.
func NewProvider(ctx context.Context, issuer string, opts *Options) (*Provider, error) {
	f := newFetcher(opts)
	if err := checkEndpointURL(issuer, true); err != nil {
		return nil, fmt.Errorf("oidc: issuer %s: %w", quote(issuer), err)
	}
	iu, _ := url.Parse(issuer) // checked above
	if err := checkTransport(iu, f.insecure); err != nil {
		return nil, fmt.Errorf("oidc: issuer: %w", err)
	}
	p := &Provider{issuer: issuer, f: f}
	p.meta.f = f
	p.meta.fetch = p.discover
	m, age, err := p.discover(ctx)
	if err != nil {
		return nil, err
	}
	p.meta.set(m, age)
	p.keys = newRemoteKeySet(f, func(ctx context.Context) (string, error) {
		m, err := p.current(ctx)
		if err != nil {
			return "", err
		}
		if m.JWKSURI == "" {
			return "", fmt.Errorf("oidc: jwks: %w: the metadata has no jwks_uri", oauth2.ErrNoEndpoint)
		}
		return m.JWKSURI, nil
	})
	return p, nil
}

// wellKnownURLs returns the OpenID Connect discovery URL of issuer and the
// RFC 8414 one.
func wellKnownURLs(issuer string) (openid, oauth string) {
	trimmed := strings.TrimSuffix(issuer, "/")
	openid = trimmed + "/.well-known/openid-configuration"
	u, _ := url.Parse(trimmed) // checked by NewProvider
	path := u.EscapedPath()
	if path == "/" {
		path = ""
	}
	oauth = u.Scheme + "://" + u.Host + "/.well-known/oauth-authorization-server" + path
	return openid, oauth
}

// discover fetches and checks p's metadata, trying the OpenID Connect
// document and then, after a 4xx answer, the RFC 8414 one.
func (p *Provider) discover(ctx context.Context) (*Metadata, time.Duration, error) {
	openid, oauth := wellKnownURLs(p.issuer)
	m, age, err := p.fetchMetadata(ctx, openid)
	var e *oauth2.Error
	if errors.As(err, &e) && e.StatusCode >= 400 && e.StatusCode <= 499 {
		m, age, err = p.fetchMetadata(ctx, oauth)
	}
	return m, age, err
}

func (p *Provider) fetchMetadata(ctx context.Context, u string) (*Metadata, time.Duration, error) {
	body, h, err := p.f.do(ctx, request{endpoint: "discovery", url: u, accept: "application/json"})
	if err != nil {
		return nil, 0, err
	}
	m, err := ParseMetadata(body)
	if err != nil {
		return nil, 0, fmt.Errorf("oidc: discovery: %w", err)
	}
	if m.Issuer != p.issuer && !isTenantTemplate(m.Issuer, p.issuer) {
		return nil, 0, fmt.Errorf("oidc: discovery: %w: the document at %s names issuer %s, not %s",
			ErrIssuerMismatch, quote(u), quote(m.Issuer), quote(p.issuer))
	}
	for _, mem := range m.urlMembers() {
		if *mem.dst == "" {
			continue
		}
		eu, _ := url.Parse(*mem.dst) // checked by ParseMetadata
		if err := checkTransport(eu, p.f.insecure); err != nil {
			return nil, 0, fmt.Errorf("oidc: discovery: member %q: %w", mem.name, err)
		}
	}
	for name, a := range m.MTLSEndpointAliases {
		eu, _ := url.Parse(a)
		if err := checkTransport(eu, p.f.insecure); err != nil {
			return nil, 0, fmt.Errorf("oidc: discovery: mtls_endpoint_aliases member %s: %w", quote(name), err)
		}
	}
	return m, cacheAge(h), nil
}

// current returns p's metadata, fetched again first when its cached copy
// has expired. When that fetch fails, the copy is used for [MinCacheAge]
// more and no error is returned; use [Provider.Refresh] to see the error.
func (p *Provider) current(ctx context.Context) (*Metadata, error) {
	m, _, _, err := p.meta.get(ctx, true)
	return m, err
}

// Refresh returns p's metadata, fetching it again first when its cached
// copy has expired (by the discovery response's Cache-Control, between
// [MinCacheAge] and [MaxCacheAge]). A fetch that fails returns its error
// and leaves the copy in use for [MinCacheAge] more; the new document must
// pass every check of [NewProvider], its issuer first. Calls that need the
// metadata (UserInfo, fetching the JWK Set) refresh it the same way, but
// keep working with the old copy when the fetch fails.
func (p *Provider) Refresh(ctx context.Context) (*Metadata, error) {
	m, _, _, err := p.meta.get(ctx, false)
	return m, err
}

// Metadata returns p's metadata as last fetched, without any request. It
// must not be modified.
func (p *Provider) Metadata() *Metadata {
	p.meta.mu.Lock()
	defer p.meta.mu.Unlock()
	return p.meta.val
}

// Issuer returns the issuer identifier p was discovered for.
func (p *Provider) Issuer() string { return p.issuer }

// Endpoint returns the endpoints of p's metadata as an oauth2.Endpoint
// (see [Metadata.Endpoint]).
func (p *Provider) Endpoint() oauth2.Endpoint { return p.Metadata().Endpoint() }

// UserInfoEndpoint returns the userinfo_endpoint of p's metadata, or "".
func (p *Provider) UserInfoEndpoint() string { return p.Metadata().UserInfoEndpoint }

// Claims unmarshals the raw discovery document into v, for members that
// [Metadata] does not hold (as coreos/go-oidc's Provider.Claims).
func (p *Provider) Claims(v any) error {
	return json.Unmarshal(p.Metadata().Raw, v)
}

// KeySet returns the [RemoteKeySet] of p's jwks_uri. It fails, when it
// first fetches, with an error wrapping oauth2.ErrNoEndpoint if the
// metadata has no jwks_uri. The JWK Set is fetched from the jwks_uri of
// the metadata current at the time of the fetch.
func (p *Provider) KeySet() *RemoteKeySet { return p.keys }
