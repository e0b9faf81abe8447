package oauth2

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"mime"
	"strconv"
	"strings"
	"time"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// Token is an OAuth 2 token as an authorization server issued it (RFC 6749
// §5.1). Its JSON form uses the field names of golang.org/x/oauth2
// (access_token, token_type, refresh_token, expiry, expires_in) plus scope,
// id_token and extra, so a token saved with json.Marshal reloads with its
// absolute expiry and every extra field the server sent.
//
// String, Format, GoString and LogValue redact the access, refresh and ID
// tokens, so a Token can be logged and printed with any fmt verb.
//
// A Token must not be modified once it was given to a Session.
type Token struct {
	// AccessToken authorizes requests.
	AccessToken string
	// TokenType is the token_type as the server sent it ("Bearer",
	// "bearer", ...); empty means Bearer. It is compared case-insensitively.
	TokenType string
	// RefreshToken, if not empty, obtains a new token when this one expires.
	RefreshToken string
	// Expiry is when the access token expires; zero means it does not.
	Expiry time.Time
	// ExpiresIn is the lifetime in seconds the server reported (expires_in).
	ExpiresIn int64
	// Scope is the granted scope, space-delimited as the server sent it. A
	// scope different from the requested one is recorded here, not raised as
	// an error (RFC 6749 §3.3).
	Scope string
	// IDToken is the OpenID Connect id_token, if the server sent one. It is
	// not verified.
	IDToken string

	raw map[string]any
}

// tokenJSON is the stored form of a Token.
type tokenJSON struct {
	AccessToken  string         `json:"access_token"`
	TokenType    string         `json:"token_type,omitempty"`
	RefreshToken string         `json:"refresh_token,omitempty"`
	Expiry       *time.Time     `json:"expiry,omitempty"`
	ExpiresIn    int64          `json:"expires_in,omitempty"`
	Scope        string         `json:"scope,omitempty"`
	IDToken      string         `json:"id_token,omitempty"`
	Extra        map[string]any `json:"extra,omitempty"`
}

// MarshalJSON implements json.Marshaler. Extra fields are stored under
// "extra"; the fields of the token response that have their own Token field
// are not repeated there.
func (t Token) MarshalJSON() ([]byte, error) {
	j := tokenJSON{
		AccessToken: t.AccessToken, TokenType: t.TokenType, RefreshToken: t.RefreshToken,
		ExpiresIn: t.ExpiresIn, Scope: t.Scope, IDToken: t.IDToken,
	}
	if !t.Expiry.IsZero() {
		e := t.Expiry
		j.Expiry = &e
	}
	for k, v := range t.raw {
		if knownField(k) {
			continue
		}
		if j.Extra == nil {
			j.Extra = make(map[string]any, len(t.raw))
		}
		j.Extra[k] = v
	}
	return json.Marshal(j)
}

// UnmarshalJSON implements json.Unmarshaler; it reads what MarshalJSON
// writes, and golang.org/x/oauth2 tokens.
func (t *Token) UnmarshalJSON(data []byte) error {
	var j tokenJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&j); err != nil {
		return err
	}
	*t = Token{
		AccessToken: j.AccessToken, TokenType: j.TokenType, RefreshToken: j.RefreshToken,
		ExpiresIn: j.ExpiresIn, Scope: j.Scope, IDToken: j.IDToken, raw: j.Extra,
	}
	if j.Expiry != nil {
		t.Expiry = *j.Expiry
	}
	return nil
}

func knownField(k string) bool {
	switch k {
	case "access_token", "token_type", "refresh_token", "expires_in", "scope", "id_token":
		return true
	}
	return false
}

// Extra returns the value of a field of the token response that has no Token
// field (for example "user_id", or "ext_expires_in" from Microsoft), or nil.
// Values from JSON responses are of the types encoding/json produces with
// UseNumber (string, json.Number, bool, []any, map[string]any); values from
// form-encoded responses are strings.
func (t *Token) Extra(key string) any {
	if t == nil || t.raw == nil {
		return nil
	}
	return t.raw[key]
}

// Valid reports whether t has an access token that has not expired at now.
func (t *Token) Valid(now time.Time) bool {
	return t != nil && t.AccessToken != "" && (t.Expiry.IsZero() || now.Before(t.Expiry))
}

// Type returns the token type for an Authorization header: "Bearer" when
// TokenType is empty or any capitalization of bearer, TokenType otherwise.
func (t *Token) Type() string {
	if t.TokenType == "" || strings.EqualFold(t.TokenType, "bearer") {
		return "Bearer"
	}
	return t.TokenType
}

// String returns a description of t with the tokens redacted.
func (t Token) String() string {
	var b strings.Builder
	b.WriteString("oauth2.Token{AccessToken:")
	b.WriteString(urlenc.Mask(t.AccessToken))
	b.WriteString(" TokenType:")
	b.WriteString(strconv.Quote(t.TokenType))
	b.WriteString(" RefreshToken:")
	b.WriteString(urlenc.Mask(t.RefreshToken))
	b.WriteString(" Expiry:")
	if t.Expiry.IsZero() {
		b.WriteString("never")
	} else {
		b.WriteString(t.Expiry.UTC().Format(time.RFC3339))
	}
	b.WriteString(" Scope:")
	b.WriteString(strconv.Quote(t.Scope))
	if t.IDToken != "" {
		b.WriteString(" IDToken:<redacted>")
	}
	b.WriteString("}")
	return b.String()
}

// GoString returns String, so %#v redacts too.
func (t Token) GoString() string { return t.String() }

// Format implements fmt.Formatter: every verb prints String.
func (t Token) Format(f fmt.State, verb rune) { fmt.Fprint(f, t.String()) }

// LogValue implements slog.LogValuer without the tokens.
func (t Token) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("token_type", t.TokenType),
		slog.Bool("has_refresh_token", t.RefreshToken != ""),
		slog.Time("expiry", t.Expiry),
		slog.String("scope", t.Scope),
	)
}

// maxBody is the most the package reads of any response body.
const maxBody = 1 << 20

// parseTokenResponse parses a token endpoint response. status and
// contentType come from the HTTP response; now stamps the expiry; secrets
// are the credentials the request sent, scrubbed from an *Error.
// A 2xx without "error" gives a token; anything else an *Error.
func parseTokenResponse(endpoint string, status int, contentType string, body []byte, now time.Time, secrets []string) (*Token, error) {
	vals, err := decodeResponse(contentType, body)
	ok := status >= 200 && status <= 299
	if err != nil {
		if !ok {
			return nil, newError(endpoint, status, nil, body, secrets)
		}
		return nil, fmt.Errorf("oauth2: %s endpoint: cannot parse response: %w", endpoint, err)
	}
	if str(vals["error"]) != "" || !ok {
		return nil, newError(endpoint, status, vals, body, secrets)
	}
	return tokenFromValues(endpoint, vals, now)
}

// tokenFromValues builds a Token from decoded response fields.
func tokenFromValues(endpoint string, vals map[string]any, now time.Time) (*Token, error) {
	tok := &Token{
		AccessToken:  str(vals["access_token"]),
		TokenType:    str(vals["token_type"]),
		RefreshToken: str(vals["refresh_token"]),
		IDToken:      str(vals["id_token"]),
		raw:          vals,
	}
	if tok.AccessToken == "" {
		return nil, fmt.Errorf("oauth2: %s endpoint: %w", endpoint, ErrMissingAccessToken)
	}
	if tok.TokenType == "" {
		tok.TokenType = "Bearer"
	}
	switch s := vals["scope"].(type) {
	case string:
		tok.Scope = s
	case []any: // some servers send an array
		var parts []string
		for _, p := range s {
			if ps, ok := p.(string); ok {
				parts = append(parts, ps)
			}
		}
		tok.Scope = strings.Join(parts, " ")
	}
	secs, err := expiresIn(vals["expires_in"])
	if err != nil {
		return nil, fmt.Errorf("oauth2: %s endpoint: %w", endpoint, err)
	}
	if secs > 0 {
		tok.ExpiresIn = secs
		tok.Expiry = now.Add(time.Duration(secs) * time.Second)
	}
	return tok, nil
}

// errNotObject is wrapped when a JSON response is not an object.
var errNotObject = errors.New("response is not a JSON object")

// errBadExpiresIn is wrapped when expires_in is not a number.
var errBadExpiresIn = errors.New("invalid expires_in")

// expiresIn reads expires_in as a JSON number (integer or float) or a
// string holding one. Fractions are truncated; absent or <= 0 is 0.
func expiresIn(v any) (int64, error) {
	var s string
	switch x := v.(type) {
	case nil:
		return 0, nil
	case json.Number:
		s = string(x)
	case string:
		s = strings.TrimSpace(x)
		if s == "" {
			return 0, nil
		}
	default:
		return 0, errBadExpiresIn
	}
	// Clamp to 100 years so the time.Duration cannot overflow.
	const maxSecs = 100 * 365 * 24 * 3600
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return min(max(n, 0), maxSecs), nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) {
		return 0, errBadExpiresIn
	}
	if f > maxSecs {
		f = maxSecs
	}
	return max(int64(f), 0), nil
}

func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return string(x)
	}
	return ""
}

// decodeResponse decodes a JSON object or a form-encoded body into a map.
// The Content-Type decides; an unknown or missing one is sniffed (a body
// starting with '{' is JSON).
func decodeResponse(contentType string, body []byte) (map[string]any, error) {
	mt, _, _ := mime.ParseMediaType(contentType)
	asJSON := false
	switch {
	case mt == "application/json" || strings.HasSuffix(mt, "+json"):
		asJSON = true
	case mt == "application/x-www-form-urlencoded" || mt == "text/plain":
		asJSON = false
	default:
		asJSON = bytes.HasPrefix(bytes.TrimSpace(body), []byte("{"))
	}
	if asJSON {
		return decodeJSONObject(body)
	}
	p, err := urlenc.ParseForm(string(bytes.TrimSpace(body)))
	if err != nil {
		return nil, err
	}
	m := make(map[string]any, len(p))
	for _, kv := range p {
		if _, dup := m[kv.Key]; !dup {
			m[kv.Key] = kv.Value
		}
	}
	return m, nil
}

func decodeJSONObject(body []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errNotObject
	}
	return m, nil
}
