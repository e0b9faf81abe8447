package fakeprovider

// The OpenID provider: its issuer, the discovery documents (RFC 8414,
// OpenID Connect Discovery 1.0), the JWK Set, and the switches that make it
// misbehave the way a mix-up or token-forging attacker would.

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Paths of the OpenID provider's endpoints. With the default issuer,
// <base URL>/oauth2, the discovery documents are at the paths RFC 8414 §3.1
// (path insertion) and OpenID Connect Discovery 1.0 §4 (path appending)
// derive from it.
const (
	// OAuth2ServerMetadataPath is the RFC 8414 authorization server
	// metadata of the default issuer.
	OAuth2ServerMetadataPath = "/.well-known/oauth-authorization-server/oauth2"
	// OAuth2OpenIDConfigurationPath is the OpenID Connect Discovery 1.0
	// provider configuration of the default issuer.
	OAuth2OpenIDConfigurationPath = "/oauth2/.well-known/openid-configuration"
	// OAuth2JWKSPath is the JWK Set of the ID token signing keys (the
	// metadata's jwks_uri, RFC 7517 §5).
	OAuth2JWKSPath = "/oauth2/jwks"
	// OAuth2UserInfoPath is the UserInfo endpoint (OpenID Connect Core 1.0
	// §5.3).
	OAuth2UserInfoPath = "/oauth2/userinfo"
	// OAuth2PARPath is the pushed authorization request endpoint (RFC 9126).
	OAuth2PARPath = "/oauth2/par"
)

// WrongIssuer is the issuer the provider claims when told to lie about it
// (OIDCOptions.WrongMetadataIssuer, WrongCallbackIssuer and
// IDTokenWrongIssuer): another authorization server, as in a mix-up attack.
const WrongIssuer = "https://attacker.example/oauth2"

// OtherSubject is the sub the provider names when told to change the
// end-user (OIDCOptions.RefreshChangesSub and WrongUserInfoSub).
const OtherSubject = "mallory"

// idTokenOtherAudience is the second audience of IDTokenMultipleAudiences
// and the audience of IDTokenWrongAudience.
const idTokenOtherAudience = "fakeprovider-api"

// OIDCOptions configures the OpenID Connect side of [OAuth2]: the issuer,
// the ID tokens (OpenID Connect Core 1.0 §2) and the switches that make the
// provider attack its client, one attack per switch. Its fields are part of
// OAuth2 (embedded); set them before the first request.
//
// ID tokens come with the access token of the authorization code, refresh,
// password and device grants when the token's scope includes "openid" and
// the grant has an end-user. Their claims are iss, sub (the username, so
// "alice" for the default user), aud (the client_id), exp, iat, auth_time
// (when the end-user authorized), nonce (the authorization request's, code
// grant only), at_hash (OpenID Connect Core 1.0 §3.1.3.6), name, email and
// email_verified. An ID token from a refresh keeps iss, sub, aud and
// auth_time and has no nonce (§12.2). The header has alg, kid and typ
// "JWT".
type OIDCOptions struct {
	// Issuer is the provider's issuer identifier. If empty it is the
	// server's base URL followed by /oauth2, the URL the request was made
	// to (so an httptest server's issuer is http://127.0.0.1:port/oauth2).
	// Discovery documents are served at the paths derived from it when its
	// path is empty or /oauth2, and the RFC 8414 document for any path
	// under /.well-known/oauth-authorization-server.
	Issuer string
	// IDTokenAlg is the algorithm of ID token signatures: "RS256" (the
	// default, when empty) or "ES256".
	IDTokenAlg string
	// IDTokenTTL is the lifetime of ID tokens. Zero means one hour.
	IDTokenTTL time.Duration
	// IDTokenMultipleAudiences makes aud an array of the client_id and
	// "fakeprovider-api", with azp the client_id (§2).
	IDTokenMultipleAudiences bool
	// MetadataMaxAge is the max-age of the Cache-Control header of the
	// discovery documents and the JWKS. Zero means one hour; a negative
	// value sends Cache-Control: no-cache.
	MetadataMaxAge time.Duration
	// DiscoveryOmit names metadata members left out of both discovery
	// documents, for clients that must cope without them (for example
	// "code_challenge_methods_supported" or
	// "authorization_response_iss_parameter_supported").
	DiscoveryOmit []string
	// DropRotatedKeys makes [OAuth2.RotateKeys] remove the previous keys
	// from the JWKS at once. By default they stay published, so ID tokens
	// signed before a rotation still verify.
	DropRotatedKeys bool

	// WrongMetadataIssuer makes both discovery documents name [WrongIssuer]
	// as issuer (RFC 8414 §3.3: the client must refuse them).
	WrongMetadataIssuer bool
	// WrongCallbackIssuer makes every authorization response carry
	// iss=[WrongIssuer] (RFC 9207 §2.4: the client must refuse it).
	WrongCallbackIssuer bool
	// OmitCallbackIssuer leaves iss out of authorization responses, though
	// the metadata says authorization_response_iss_parameter_supported
	// (RFC 9207 §2.4: the client must refuse them).
	OmitCallbackIssuer bool
	// IDTokenWrongIssuer makes ID tokens name [WrongIssuer] as iss.
	IDTokenWrongIssuer bool
	// IDTokenAlgNone sends unsecured ID tokens: alg "none" and an empty
	// signature (RFC 7519 §6).
	IDTokenAlgNone bool
	// IDTokenHS256PublicKey signs ID tokens with HS256 keyed with the
	// current RS256 public key, in its PEM form: the SubjectPublicKeyInfo
	// text "-----BEGIN PUBLIC KEY-----..." with its trailing newline, as
	// crypto/x509.MarshalPKIXPublicKey and encoding/pem.EncodeToMemory
	// write it. The kid is the RS256 key's. This is the key-confusion
	// attack on verifiers that take the algorithm from the token.
	IDTokenHS256PublicKey bool
	// IDTokenWrongAudience makes aud "fakeprovider-api" instead of the
	// client_id.
	IDTokenWrongAudience bool
	// IDTokenExpired sends ID tokens issued two hours ago that expired an
	// hour ago (by Now).
	IDTokenExpired bool
	// IDTokenOmitNonce leaves nonce out of ID tokens though the
	// authorization request had one.
	IDTokenOmitNonce bool
	// IDTokenWrongNonce puts a nonce the client never sent into every ID
	// token.
	IDTokenWrongNonce bool
	// IDTokenBadAtHash sends an at_hash that is not the access token's.
	IDTokenBadAtHash bool
	// IDTokenUnknownKidOnce models a key rotation the client learns of from
	// an ID token: the first ID token is signed with a new key set that the
	// JWKS does not list yet; every JWKS response served after that token
	// was issued lists it, and later ID tokens use it too. A client that
	// cached the JWKS sees an unknown kid once and must fetch it again.
	IDTokenUnknownKidOnce bool
	// IDTokenUnknownKid signs every ID token with a key that no JWKS ever
	// lists, so its kid is never found however often the client fetches.
	IDTokenUnknownKid bool
	// RefreshChangesSub makes the ID tokens of refresh grants name
	// [OtherSubject] as sub (OpenID Connect Core 1.0 §12.2: the client must
	// refuse them).
	RefreshChangesSub bool
	// WrongUserInfoSub makes the UserInfo endpoint answer for
	// [OtherSubject] (§5.3.4: the client must refuse a sub that differs
	// from the ID token's).
	WrongUserInfoSub bool
}

// issuer returns the issuer identifier for requests made to r's host.
func (o *OAuth2) issuer(r *http.Request) string {
	if o.Issuer != "" {
		return o.Issuer
	}
	return oauth2BaseURL(r) + "/oauth2"
}

// callbackIssuer returns the iss of authorization responses (RFC 9207
// §2), or "" when it is to be left out.
func (o *OAuth2) callbackIssuer(r *http.Request) string {
	switch {
	case o.OmitCallbackIssuer:
		return ""
	case o.WrongCallbackIssuer:
		return WrongIssuer
	}
	return o.issuer(r)
}

// DiscoveryRequests returns how many discovery documents (either kind) the
// provider served. It is safe for concurrent use.
func (o *OAuth2) DiscoveryRequests() int { return int(o.discoveryRequests.Load()) }

// JWKSRequests returns how many times the provider served its JWKS. It is
// safe for concurrent use.
func (o *OAuth2) JWKSRequests() int { return int(o.jwksRequests.Load()) }

// IDTokensIssued returns how many ID tokens the token endpoint issued. It
// is safe for concurrent use.
func (o *OAuth2) IDTokensIssued() int { return int(o.idTokensIssued.Load()) }

// handleWellKnown serves the discovery documents at the paths derived from
// the issuer: /.well-known/oauth-authorization-server followed by the
// issuer's path (RFC 8414 §3.1), and the issuer's path followed by
// /.well-known/openid-configuration (OpenID Connect Discovery 1.0 §4.1).
// Both documents have the same members.
func (o *OAuth2) handleWellKnown(w http.ResponseWriter, r *http.Request) {
	var path string
	if u, err := url.Parse(o.issuer(r)); err == nil {
		path = strings.TrimSuffix(u.EscapedPath(), "/")
	}
	if r.URL.Path != "/.well-known/oauth-authorization-server"+path && r.URL.Path != path+"/.well-known/openid-configuration" {
		http.Error(w, "fakeprovider: no such endpoint: "+r.URL.Path, http.StatusNotFound)
		return
	}
	if !oauth2MethodAllowed(w, r, http.MethodGet) {
		return
	}
	o.discoveryRequests.Add(1)
	o.writeCachedJSON(w, o.metadata(r))
}

// metadata returns the provider's metadata (RFC 8414 §2, OpenID Connect
// Discovery 1.0 §3, RFC 9207 §3, RFC 9449 §5.1, RFC 9126 §5, RFC 9101
// §10.5).
func (o *OAuth2) metadata(r *http.Request) map[string]any {
	base := oauth2BaseURL(r)
	iss := o.issuer(r)
	if o.WrongMetadataIssuer {
		iss = WrongIssuer
	}
	authMethods := []string{authSecretBasic, authSecretPost, authNone, authSecretJWT, authPrivateJWT}
	authAlgs := []string{"HS256", "RS256", "PS256", "ES256", "EdDSA"}
	m := map[string]any{
		"issuer":                                iss,
		"authorization_endpoint":                base + OAuth2AuthorizePath,
		"token_endpoint":                        base + OAuth2TokenPath,
		"device_authorization_endpoint":         base + OAuth2DevicePath,
		"revocation_endpoint":                   base + OAuth2RevokePath,
		"introspection_endpoint":                base + OAuth2IntrospectPath,
		"userinfo_endpoint":                     base + OAuth2UserInfoPath,
		"jwks_uri":                              base + OAuth2JWKSPath,
		"pushed_authorization_request_endpoint": base + OAuth2PARPath,
		"scopes_supported":                      []string{"openid", "profile", "email"},
		"response_types_supported":              []string{"code", "token"},
		"response_modes_supported":              []string{"query", "fragment", "form_post"},
		"grant_types_supported": []string{grantAuthorizationCode, "implicit", grantPassword, grantClientCredentials,
			grantRefreshToken, grantDeviceCode, grantJWTBearer, grantTokenExchange},
		"subject_types_supported":                                  []string{"public"},
		"id_token_signing_alg_values_supported":                    []string{"RS256", "ES256"},
		"claims_supported":                                         []string{"iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "azp", "name", "email", "email_verified"},
		"token_endpoint_auth_methods_supported":                    authMethods,
		"token_endpoint_auth_signing_alg_values_supported":         authAlgs,
		"revocation_endpoint_auth_methods_supported":               authMethods,
		"revocation_endpoint_auth_signing_alg_values_supported":    authAlgs,
		"introspection_endpoint_auth_methods_supported":            authMethods,
		"introspection_endpoint_auth_signing_alg_values_supported": authAlgs,
		"code_challenge_methods_supported":                         []string{"S256", "plain"},
		"authorization_response_iss_parameter_supported":           true,
		"dpop_signing_alg_values_supported":                        jwsAlgNames,
		"require_pushed_authorization_requests":                    o.RequirePAR,
		"request_parameter_supported":                              true,
		"request_uri_parameter_supported":                          false,
		"request_object_signing_alg_values_supported":              jwsAlgNames,
		"require_signed_request_object":                            o.RequireSignedRequestObject,
	}
	for _, k := range o.DiscoveryOmit {
		delete(m, k)
	}
	return m
}

func (o *OAuth2) handleJWKS(w http.ResponseWriter, r *http.Request) {
	if !oauth2MethodAllowed(w, r, http.MethodGet) {
		return
	}
	o.jwksRequests.Add(1)
	o.writeCachedJSON(w, o.jwks())
}

// writeCachedJSON writes v as JSON that clients may cache for
// MetadataMaxAge.
func (o *OAuth2) writeCachedJSON(w http.ResponseWriter, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "fakeprovider: encoding response: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", o.maxAgeHeader())
	w.Write(body)
}
