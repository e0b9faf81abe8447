package oidc

import (
	"encoding/json"
	"fmt"
	"net/url"

	"github.com/oauthkit/oauth/internal/urlenc/jsonobj"
	"github.com/oauthkit/oauth/oauth2"
)

// Metadata is an authorization server's metadata (RFC 8414 §2) or an
// OpenID provider's configuration (OpenID Connect Discovery 1.0 §3): the
// members this package and package oauth2 use, and the document itself.
// [NewProvider] fetches it; [ParseMetadata] parses a document from
// elsewhere. A Metadata is safe for concurrent use as long as no one
// modifies it; the Metadata a [Provider] returns must not be modified.
//
// Its JSON form (encoding/json, with the member names below) is the
// document's members that Metadata holds; Raw keeps every member.
type Metadata struct {
	// Issuer is the issuer identifier, which [NewProvider] checks to be
	// byte for byte the issuer it was asked for (RFC 8414 §3.3).
	Issuer string `json:"issuer"`

	AuthorizationEndpoint              string `json:"authorization_endpoint,omitempty"`
	TokenEndpoint                      string `json:"token_endpoint,omitempty"`
	DeviceAuthorizationEndpoint        string `json:"device_authorization_endpoint,omitempty"` // RFC 8628 §4
	RevocationEndpoint                 string `json:"revocation_endpoint,omitempty"`           // RFC 8414 §2 (RFC 7009)
	IntrospectionEndpoint              string `json:"introspection_endpoint,omitempty"`        // RFC 8414 §2 (RFC 7662)
	UserInfoEndpoint                   string `json:"userinfo_endpoint,omitempty"`             // OpenID Connect Core 1.0 §5.3
	JWKSURI                            string `json:"jwks_uri,omitempty"`
	RegistrationEndpoint               string `json:"registration_endpoint,omitempty"`                 // RFC 7591
	EndSessionEndpoint                 string `json:"end_session_endpoint,omitempty"`                  // OpenID Connect RP-Initiated Logout 1.0
	PushedAuthorizationRequestEndpoint string `json:"pushed_authorization_request_endpoint,omitempty"` // RFC 9126 §5

	// RequirePushedAuthorizationRequests says the server accepts
	// authorization requests only through PushedAuthorizationRequestEndpoint
	// (RFC 9126 §5).
	RequirePushedAuthorizationRequests bool `json:"require_pushed_authorization_requests,omitempty"`
	// RequireSignedRequestObject says the server accepts authorization
	// requests only as signed request objects (RFC 9101 §10.5).
	RequireSignedRequestObject bool `json:"require_signed_request_object,omitempty"`
	// AuthorizationResponseIssParameterSupported says every authorization
	// response carries "iss" (RFC 9207 §3): a callback without it must be
	// refused.
	AuthorizationResponseIssParameterSupported bool `json:"authorization_response_iss_parameter_supported,omitempty"`

	ScopesSupported                            []string `json:"scopes_supported,omitempty"`
	ResponseTypesSupported                     []string `json:"response_types_supported,omitempty"`
	ResponseModesSupported                     []string `json:"response_modes_supported,omitempty"`
	GrantTypesSupported                        []string `json:"grant_types_supported,omitempty"`
	SubjectTypesSupported                      []string `json:"subject_types_supported,omitempty"`
	ClaimsSupported                            []string `json:"claims_supported,omitempty"`
	CodeChallengeMethodsSupported              []string `json:"code_challenge_methods_supported,omitempty"` // RFC 7636
	TokenEndpointAuthMethodsSupported          []string `json:"token_endpoint_auth_methods_supported,omitempty"`
	TokenEndpointAuthSigningAlgValuesSupported []string `json:"token_endpoint_auth_signing_alg_values_supported,omitempty"`
	IDTokenSigningAlgValuesSupported           []string `json:"id_token_signing_alg_values_supported,omitempty"`
	UserInfoSigningAlgValuesSupported          []string `json:"userinfo_signing_alg_values_supported,omitempty"`
	RequestObjectSigningAlgValuesSupported     []string `json:"request_object_signing_alg_values_supported,omitempty"` // RFC 9101 §10.5
	DPoPSigningAlgValuesSupported              []string `json:"dpop_signing_alg_values_supported,omitempty"`           // RFC 9449 §5.1

	// MTLSEndpointAliases are the endpoints a client authenticating with
	// mutual TLS uses instead (RFC 8705 §5), keyed by metadata name
	// ("token_endpoint", ...).
	MTLSEndpointAliases map[string]string `json:"mtls_endpoint_aliases,omitempty"`

	// Raw is the document as it was received.
	Raw json.RawMessage `json:"-"`
}

// ParseMetadata parses a discovery document: a JSON object without
// duplicate members, whose members named in [Metadata] have the types RFC
// 8414 §2 and OpenID Connect Discovery 1.0 §3 give them (JSON null counts
// as absent), with a non-empty "issuer" that is an absolute http(s) URL
// without query or fragment, and endpoints that are absolute http(s) URLs
// without fragment. Other members are kept in Raw only. Errors wrap
// [ErrMalformedMetadata] and name the member, never its value.
//
// ParseMetadata checks neither that the issuer is the one expected nor the
// HTTPS rule; [NewProvider] does both.
func ParseMetadata(data []byte) (*Metadata, error) {
	obj, err := jsonobj.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformedMetadata, err)
	}
	m := &Metadata{Raw: append(json.RawMessage(nil), data...)}
	for _, f := range m.urlMembers() {
		s, _, err := getString(obj, f.name)
		if err != nil {
			return nil, fmt.Errorf("%w: member %q is not a string", ErrMalformedMetadata, f.name)
		}
		if s != "" {
			if err := checkEndpointURL(s, f.name == "issuer"); err != nil {
				return nil, fmt.Errorf("%w: member %q: %w", ErrMalformedMetadata, f.name, err)
			}
		}
		*f.dst = s
	}
	if m.Issuer == "" {
		return nil, fmt.Errorf("%w: no \"issuer\"", ErrMalformedMetadata)
	}
	for _, f := range []struct {
		name string
		dst  *bool
	}{
		{"require_pushed_authorization_requests", &m.RequirePushedAuthorizationRequests},
		{"require_signed_request_object", &m.RequireSignedRequestObject},
		{"authorization_response_iss_parameter_supported", &m.AuthorizationResponseIssParameterSupported},
	} {
		if *f.dst, err = getBool(obj, f.name); err != nil {
			return nil, fmt.Errorf("%w: member %q is not a boolean", ErrMalformedMetadata, f.name)
		}
	}
	for _, f := range m.listMembers() {
		if *f.dst, err = getStrings(obj, f.name); err != nil {
			return nil, fmt.Errorf("%w: member %q is not an array of strings", ErrMalformedMetadata, f.name)
		}
	}
	if raw, ok := obj["mtls_endpoint_aliases"]; ok && string(raw) != "null" {
		aliases, err := jsonobj.Parse(raw)
		if err != nil {
			return nil, fmt.Errorf("%w: member \"mtls_endpoint_aliases\": %w", ErrMalformedMetadata, err)
		}
		m.MTLSEndpointAliases = make(map[string]string, len(aliases))
		for name := range aliases {
			s, _, err := getString(aliases, name)
			if err != nil {
				return nil, fmt.Errorf("%w: mtls_endpoint_aliases member %s is not a string", ErrMalformedMetadata, quote(name))
			}
			if err := checkEndpointURL(s, false); err != nil {
				return nil, fmt.Errorf("%w: mtls_endpoint_aliases member %s: %w", ErrMalformedMetadata, quote(name), err)
			}
			m.MTLSEndpointAliases[name] = s
		}
	}
	return m, nil
}

type stringMember struct {
	name string
	dst  *string
}

// urlMembers lists the URL members of m, the issuer first.
func (m *Metadata) urlMembers() []stringMember {
	return []stringMember{
		{"issuer", &m.Issuer},
		{"authorization_endpoint", &m.AuthorizationEndpoint},
		{"token_endpoint", &m.TokenEndpoint},
		{"device_authorization_endpoint", &m.DeviceAuthorizationEndpoint},
		{"revocation_endpoint", &m.RevocationEndpoint},
		{"introspection_endpoint", &m.IntrospectionEndpoint},
		{"userinfo_endpoint", &m.UserInfoEndpoint},
		{"jwks_uri", &m.JWKSURI},
		{"registration_endpoint", &m.RegistrationEndpoint},
		{"end_session_endpoint", &m.EndSessionEndpoint},
		{"pushed_authorization_request_endpoint", &m.PushedAuthorizationRequestEndpoint},
	}
}

type listMember struct {
	name string
	dst  *[]string
}

func (m *Metadata) listMembers() []listMember {
	return []listMember{
		{"scopes_supported", &m.ScopesSupported},
		{"response_types_supported", &m.ResponseTypesSupported},
		{"response_modes_supported", &m.ResponseModesSupported},
		{"grant_types_supported", &m.GrantTypesSupported},
		{"subject_types_supported", &m.SubjectTypesSupported},
		{"claims_supported", &m.ClaimsSupported},
		{"code_challenge_methods_supported", &m.CodeChallengeMethodsSupported},
		{"token_endpoint_auth_methods_supported", &m.TokenEndpointAuthMethodsSupported},
		{"token_endpoint_auth_signing_alg_values_supported", &m.TokenEndpointAuthSigningAlgValuesSupported},
		{"id_token_signing_alg_values_supported", &m.IDTokenSigningAlgValuesSupported},
		{"userinfo_signing_alg_values_supported", &m.UserInfoSigningAlgValuesSupported},
		{"request_object_signing_alg_values_supported", &m.RequestObjectSigningAlgValuesSupported},
		{"dpop_signing_alg_values_supported", &m.DPoPSigningAlgValuesSupported},
	}
}

// checkEndpointURL checks that s is an absolute http or https URL with a
// host and no fragment (RFC 8414 §2); an issuer has no query either.
func checkEndpointURL(s string, issuer bool) error {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return fmt.Errorf("not a url")
	case u.Scheme != "https" && u.Scheme != "http":
		return fmt.Errorf("scheme is neither https nor http")
	case u.Host == "" || u.User != nil:
		return fmt.Errorf("no host, or user information")
	case u.Fragment != "" || u.RawFragment != "" || len(s) > 0 && s[len(s)-1] == '#':
		return fmt.Errorf("has a fragment")
	case issuer && (u.RawQuery != "" || u.ForceQuery):
		return fmt.Errorf("issuer has a query")
	}
	return nil
}

// Endpoint returns m as an oauth2.Endpoint: the issuer and RFC 9207's
// authorization_response_iss_parameter_supported (Issuer,
// IssuerParameter), with which package oauth2 checks the "iss" of
// callbacks; the URLs of the authorization, token, device authorization,
// revocation, introspection, pushed authorization request and UserInfo
// endpoints and of the JWK Set, each empty when m has none; and RFC
// 9126's require_pushed_authorization_requests and RFC 9101's
// require_signed_request_object (RequirePushedAuth,
// RequireSignedRequestObject), with which package oauth2's logins push
// their requests, or sign them, when the server demands it.
// AssertionAudience is left empty (the metadata does not say which "aud"
// the server wants in client assertions): set it to Issuer for a server
// that wants the issuer identifier, as the AT Protocol's does.
func (m *Metadata) Endpoint() oauth2.Endpoint {
	return oauth2.Endpoint{
		AuthURL:                    m.AuthorizationEndpoint,
		TokenURL:                   m.TokenEndpoint,
		DeviceAuthURL:              m.DeviceAuthorizationEndpoint,
		RevocationURL:              m.RevocationEndpoint,
		IntrospectionURL:           m.IntrospectionEndpoint,
		Issuer:                     m.Issuer,
		IssuerParameter:            m.AuthorizationResponseIssParameterSupported,
		PushedAuthURL:              m.PushedAuthorizationRequestEndpoint,
		RequirePushedAuth:          m.RequirePushedAuthorizationRequests,
		RequireSignedRequestObject: m.RequireSignedRequestObject,
		UserInfoURL:                m.UserInfoEndpoint,
		JWKSURL:                    m.JWKSURI,
	}
}

// MTLSEndpoint returns [Metadata.Endpoint] with each endpoint replaced by
// its alias in MTLSEndpointAliases, where there is one: the endpoints a
// client that authenticates with mutual TLS, or binds its tokens to its
// certificate, must use (RFC 8705 §5). The authorization endpoint and
// the JWK Set have no alias; it is the user's browser that goes to the
// first, and the second is public.
func (m *Metadata) MTLSEndpoint() oauth2.Endpoint {
	e := m.Endpoint()
	for _, f := range []struct {
		name string
		dst  *string
	}{
		{"token_endpoint", &e.TokenURL},
		{"device_authorization_endpoint", &e.DeviceAuthURL},
		{"revocation_endpoint", &e.RevocationURL},
		{"introspection_endpoint", &e.IntrospectionURL},
		{"pushed_authorization_request_endpoint", &e.PushedAuthURL},
		{"userinfo_endpoint", &e.UserInfoURL},
	} {
		if a := m.MTLSEndpointAliases[f.name]; a != "" {
			*f.dst = a
		}
	}
	return e
}
