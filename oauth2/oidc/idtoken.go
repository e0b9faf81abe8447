package oidc

import (
	"crypto"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/oauthkit/oauth/internal/urlenc"
	"github.com/oauthkit/oauth/internal/urlenc/jsonobj"
)

// IDToken is a verified ID token (OpenID Connect Core 1.0 §2): its
// claims, typed, as [IDTokenVerifier.Verify] returns them. The field names
// are coreos/go-oidc's. The claims it has no field for are read with
// [IDToken.Claims].
//
// String and Format, with every fmt verb, print the issuer, subject,
// audience and expiry, never the nonce or the other claims.
type IDToken struct {
	// Issuer is "iss", the provider's issuer identifier.
	Issuer string
	// Subject is "sub", the end-user's identifier at the issuer: with
	// Issuer, the only stable key for a user (§5.7).
	Subject string
	// Audience is "aud", a single audience as a one-element slice.
	Audience []string
	// AuthorizedParty is "azp", or "".
	AuthorizedParty string
	// Expiry is "exp".
	Expiry time.Time
	// IssuedAt is "iat".
	IssuedAt time.Time
	// NotBefore is "nbf", or the zero time.
	NotBefore time.Time
	// AuthTime is "auth_time", when the end-user authenticated, or the
	// zero time.
	AuthTime time.Time
	// Nonce is "nonce", or "".
	Nonce string
	// AccessTokenHash is "at_hash", or "".
	AccessTokenHash string
	// CodeHash is "c_hash", or "".
	CodeHash string

	// StandardClaims are the profile claims the token carries (§5.1),
	// read leniently: a claim of the wrong type is left zero here (the
	// raw value stays available to Claims).
	StandardClaims

	alg    string // the JWS "alg" the token was verified with
	claims []byte // the payload, as verified
}

// StandardClaims are the standard claims about the end-user of OpenID
// Connect Core 1.0 §5.1, except "sub", shared by [IDToken] and
// [UserInfo]. email_verified and phone_number_verified may be JSON
// booleans or the strings "true" and "false", which some providers send.
type StandardClaims struct {
	Name                string
	GivenName           string
	FamilyName          string
	MiddleName          string
	Nickname            string
	PreferredUsername   string
	Profile             string // the URL of the end-user's profile page
	Picture             string
	Website             string
	Email               string
	EmailVerified       bool
	Gender              string
	Birthdate           string
	Zoneinfo            string
	Locale              string
	PhoneNumber         string
	PhoneNumberVerified bool
	Address             *Address // nil when absent
	UpdatedAt           time.Time
}

// Address is the "address" claim (OpenID Connect Core 1.0 §5.1.1).
type Address struct {
	Formatted     string `json:"formatted,omitempty"`
	StreetAddress string `json:"street_address,omitempty"`
	Locality      string `json:"locality,omitempty"`
	Region        string `json:"region,omitempty"`
	PostalCode    string `json:"postal_code,omitempty"`
	Country       string `json:"country,omitempty"`
}

// Claims unmarshals the token's claims, as verified, into v, with
// encoding/json (coreos/go-oidc's method). Member names are matched as
// encoding/json matches them; the typed fields come from an exact match.
func (t *IDToken) Claims(v any) error {
	if t.claims == nil {
		return fmt.Errorf("oidc: IDToken has no claims: it was not made by a verifier")
	}
	return json.Unmarshal(t.claims, v)
}

// VerifyAccessToken checks that the token's "at_hash" is the hash of
// accessToken (§3.1.3.8, §3.2.2.9), as coreos/go-oidc's method does: a
// token without at_hash, or a different hash, gives an error wrapping
// [ErrAccessTokenHashMismatch]. [WithAccessToken] makes the check part of
// Verify, where a missing at_hash is accepted.
func (t *IDToken) VerifyAccessToken(accessToken string) error {
	if t.AccessTokenHash == "" {
		return fmt.Errorf("%w: the id token has no at_hash", ErrAccessTokenHashMismatch)
	}
	return checkHash(ErrAccessTokenHashMismatch, "at_hash", t.alg, t.AccessTokenHash, accessToken)
}

// String describes t by issuer, subject, audience and expiry.
func (t IDToken) String() string {
	return "oidc.IDToken{Issuer:" + strconv.Quote(urlenc.Clip(t.Issuer, maxQuoted)) +
		",Subject:" + strconv.Quote(urlenc.Clip(t.Subject, maxQuoted)) +
		",Audience:" + strconv.Quote(urlenc.Clip(strings.Join(t.Audience, " "), maxQuoted)) +
		",Expiry:" + t.Expiry.UTC().Format(time.RFC3339) + ",Nonce:" + urlenc.Mask(t.Nonce) + "}"
}

// Format implements fmt.Formatter: every verb prints String (quoted for
// %q), so that no verb prints the nonce or the claims.
func (t IDToken) Format(f fmt.State, verb rune) { urlenc.Format(f, verb, t.String()) }

// parseIDToken reads the claims of a verified ID token. The claims the
// checks read must have their types (strings; aud a string or a non-empty
// array of strings; NumericDates), and iss, sub, aud, exp and iat must be
// there (§2); anything else is read as StandardClaims reads it.
func parseIDToken(payload []byte) (*IDToken, error) {
	obj, err := jsonobj.Parse(payload)
	if err != nil {
		return nil, fmt.Errorf("%w: claims: %w", ErrMalformedToken, err)
	}
	t := &IDToken{claims: payload}
	for _, c := range []struct {
		name     string
		dst      *string
		required bool
	}{
		{"iss", &t.Issuer, true}, {"sub", &t.Subject, true}, {"azp", &t.AuthorizedParty, false},
		{"nonce", &t.Nonce, false}, {"at_hash", &t.AccessTokenHash, false}, {"c_hash", &t.CodeHash, false},
	} {
		s, ok, err := getString(obj, c.name)
		if err != nil {
			return nil, fmt.Errorf("%w: claim %q is not a string", ErrMalformedToken, c.name)
		}
		if c.required && (!ok || s == "") {
			return nil, fmt.Errorf("%w: no %q claim", ErrMalformedToken, c.name)
		}
		*c.dst = s
	}
	if t.Audience, err = audience(obj); err != nil {
		return nil, err
	}
	for _, c := range []struct {
		name     string
		dst      *time.Time
		required bool
	}{
		{"exp", &t.Expiry, true}, {"iat", &t.IssuedAt, true}, {"nbf", &t.NotBefore, false}, {"auth_time", &t.AuthTime, false},
	} {
		v, ok, err := getTime(obj, c.name)
		if err != nil {
			return nil, fmt.Errorf("%w: claim %q is not a NumericDate", ErrMalformedToken, c.name)
		}
		if c.required && !ok {
			return nil, fmt.Errorf("%w: no %q claim", ErrMalformedToken, c.name)
		}
		*c.dst = v
	}
	t.StandardClaims = standardClaims(obj)
	return t, nil
}

// audience reads "aud": a string, or an array of at least one string
// (RFC 7519 §4.1.3).
func audience(obj map[string]json.RawMessage) ([]string, error) {
	s, ok, err := getString(obj, "aud")
	switch {
	case ok && s != "":
		return []string{s}, nil
	case ok:
		return nil, fmt.Errorf("%w: empty \"aud\" claim", ErrMalformedToken)
	case err == nil:
		return nil, fmt.Errorf("%w: no \"aud\" claim", ErrMalformedToken)
	}
	list, err := getStrings(obj, "aud")
	if err != nil || len(list) == 0 {
		return nil, fmt.Errorf("%w: claim \"aud\" is neither a string nor an array of strings", ErrMalformedToken)
	}
	for _, a := range list {
		if a == "" {
			return nil, fmt.Errorf("%w: empty audience in \"aud\"", ErrMalformedToken)
		}
	}
	return list, nil
}

// standardClaims reads the claims of §5.1 from obj, leaving those of the
// wrong type zero.
func standardClaims(obj map[string]json.RawMessage) StandardClaims {
	var c StandardClaims
	for _, m := range []struct {
		name string
		dst  *string
	}{
		{"name", &c.Name}, {"given_name", &c.GivenName}, {"family_name", &c.FamilyName},
		{"middle_name", &c.MiddleName}, {"nickname", &c.Nickname}, {"preferred_username", &c.PreferredUsername},
		{"profile", &c.Profile}, {"picture", &c.Picture}, {"website", &c.Website}, {"email", &c.Email},
		{"gender", &c.Gender}, {"birthdate", &c.Birthdate}, {"zoneinfo", &c.Zoneinfo}, {"locale", &c.Locale},
		{"phone_number", &c.PhoneNumber},
	} {
		*m.dst, _, _ = getString(obj, m.name)
	}
	c.EmailVerified = lenientBool(obj, "email_verified")
	c.PhoneNumberVerified = lenientBool(obj, "phone_number_verified")
	if raw, ok := obj["address"]; ok && len(raw) > 0 && raw[0] == '{' {
		var a Address
		if json.Unmarshal(raw, &a) == nil {
			c.Address = &a
		}
	}
	c.UpdatedAt, _, _ = getTime(obj, "updated_at")
	return c
}

// lenientBool reads a boolean claim that may also be the string "true" or
// "false".
func lenientBool(obj map[string]json.RawMessage, name string) bool {
	if b, err := getBool(obj, name); err == nil {
		return b
	}
	s, _, _ := getString(obj, name)
	return s == "true"
}

// hashForAlg returns the hash of the JWS algorithm alg, which at_hash and
// c_hash use (§3.1.3.6, §3.3.2.11): SHA-256 for the *256 algorithms,
// SHA-384 and SHA-512 likewise, and SHA-512 for EdDSA, the hash Ed25519
// uses itself (RFC 8032 §5.1), as other libraries do: OpenID Connect Core
// 1.0 names none for EdDSA.
func hashForAlg(alg string) (crypto.Hash, bool) {
	switch {
	case alg == "EdDSA":
		return crypto.SHA512, true
	case strings.HasSuffix(alg, "256"):
		return crypto.SHA256, true
	case strings.HasSuffix(alg, "384"):
		return crypto.SHA384, true
	case strings.HasSuffix(alg, "512"):
		return crypto.SHA512, true
	}
	return 0, false
}

// leftHalfHash returns the base64url encoding of the left half of the hash
// of value for alg, or false for an algorithm without a hash.
func leftHalfHash(alg, value string) (string, bool) {
	h, ok := hashForAlg(alg)
	if !ok {
		return "", false
	}
	var sum []byte
	switch h {
	case crypto.SHA256:
		s := sha256.Sum256([]byte(value))
		sum = s[:]
	case crypto.SHA384:
		s := sha512.Sum384([]byte(value))
		sum = s[:]
	default:
		s := sha512.Sum512([]byte(value))
		sum = s[:]
	}
	return base64.RawURLEncoding.EncodeToString(sum[:len(sum)/2]), true
}

// checkHash checks that claim, the token's at_hash or c_hash, is the hash
// of value for alg, in constant time.
func checkHash(sentinel error, name, alg, claim, value string) error {
	want, ok := leftHalfHash(alg, value)
	if !ok {
		return fmt.Errorf("%w: no %s hash for alg %s", sentinel, name, quote(alg))
	}
	if subtle.ConstantTimeCompare([]byte(claim), []byte(want)) != 1 {
		return fmt.Errorf("%w: %s does not match", sentinel, name)
	}
	return nil
}

// getTime reads obj[name] as a NumericDate (RFC 7519 §2): a JSON number
// of seconds since the epoch, which may have a fraction. ok is false when
// it is absent. Negative values and values past year 9999 are refused.
func getTime(obj map[string]json.RawMessage, name string) (t time.Time, ok bool, err error) {
	raw, present := obj[name]
	if !present || string(raw) == "null" {
		return time.Time{}, false, nil
	}
	if len(raw) == 0 {
		return time.Time{}, false, errWrongType
	}
	c := raw[0]
	if c != '-' && (c < '0' || c > '9') {
		return time.Time{}, false, errWrongType
	}
	var f float64
	if json.Unmarshal(raw, &f) != nil {
		return time.Time{}, false, errWrongType
	}
	const maxDate = 253402300799 // 9999-12-31T23:59:59Z
	if f < 0 || f > maxDate || math.IsNaN(f) {
		return time.Time{}, false, errWrongType
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC(), true, nil
}
