package oauth2

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// Token is an OAuth 2 token as an authorization server issued it (RFC 6749
// §5.1). Its JSON form uses the field names of golang.org/x/oauth2
// (access_token, token_type, refresh_token, expiry, expires_in) plus scope,
// id_token and extra, so a token saved with json.Marshal reloads with its
// absolute expiry and every extra field the server sent, and a token saved
// by golang.org/x/oauth2 loads. That form carries the credentials: it is
// what to store, never what to log. log/slog's JSON handler marshals it, so
// it prints a Token, or a struct or slice holding one, in full.
//
// String and Format, with every fmt verb, redact the access, refresh and
// ID tokens, in a struct or slice too, and so does log/slog's text
// handler, which prints through them.
//
// A Token must not be modified once it was given to a Session or a
// TokenSource; copy it first.
type Token struct {
	// AccessToken authorizes requests.
	AccessToken string
	// TokenType is the token_type as the server sent it ("Bearer",
	// "bearer", ...); empty means Bearer. See Type.
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
	// DPoPJKT is the RFC 7638 thumbprint of the DPoP key a DPoP-bound
	// token (token_type DPoP, RFC 9449 §5) is bound to: the package sets
	// it to Config.DPoP.Thumbprint() when the server issues one, and sends
	// or refreshes the token only with proofs of that key
	// (ErrDPoPKeyMismatch). It is empty for other tokens. Saved with the
	// token (JSON "dpop_jkt"), it tells a restored token's key; a DPoP
	// token without it is sent with whatever key is at hand.
	DPoPJKT string

	// raw holds the response's fields: decoded JSON (numbers as
	// json.Number) or, with form set, the first value of each form field.
	raw  map[string]any
	form bool
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
	DPoPJKT      string         `json:"dpop_jkt,omitempty"`
	Extra        map[string]any `json:"extra,omitempty"`
}

// MarshalJSON implements json.Marshaler. The fields of the token response
// that have no Token field are stored under "extra", as Extra returns
// them; the others are not repeated there.
func (t Token) MarshalJSON() ([]byte, error) {
	j := tokenJSON{
		AccessToken: t.AccessToken, TokenType: t.TokenType, RefreshToken: t.RefreshToken,
		ExpiresIn: t.ExpiresIn, Scope: t.Scope, IDToken: t.IDToken, DPoPJKT: t.DPoPJKT,
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
		if t.form {
			v = formValue(v.(string))
		}
		j.Extra[k] = v
	}
	return json.Marshal(j)
}

// storedJSON is what UnmarshalJSON reads: tokenJSON, with the fields
// that other tools write in other types taken as they come (the outer
// fields hide the embedded ones of the same JSON name).
type storedJSON struct {
	tokenJSON
	Expiry    json.RawMessage `json:"expiry"`
	ExpiresIn any             `json:"expires_in"`
	Extra     any             `json:"extra"`
}

// UnmarshalJSON implements json.Unmarshaler; it reads what MarshalJSON
// writes, and tokens golang.org/x/oauth2 saved. A grant another tool
// saved loads too: an expires_in that is a float or a string is read as
// in a token response (anything else as 0), an "extra" that is not an
// object is dropped, and an expiry that is not an RFC 3339 time reads as
// long past (time.Unix(0, 0)), so that a Session renews the token at its
// first use rather than lose its refresh token. It fails when data is not
// a JSON object, or a string field is not a string.
func (t *Token) UnmarshalJSON(data []byte) error {
	var j storedJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&j); err != nil {
		return err
	}
	*t = Token{
		AccessToken: j.AccessToken, TokenType: j.TokenType, RefreshToken: j.RefreshToken,
		Scope: j.Scope, IDToken: j.IDToken, DPoPJKT: j.DPoPJKT,
	}
	t.ExpiresIn, _ = expiresIn(j.ExpiresIn) // 0 when it is not a number
	if m, ok := j.Extra.(map[string]any); ok {
		t.raw = m
	}
	if len(j.Expiry) > 0 && string(j.Expiry) != "null" {
		if err := json.Unmarshal(j.Expiry, &t.Expiry); err != nil {
			t.Expiry = time.Unix(0, 0).UTC()
		}
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

// Extra returns the value of a field of the token response, or nil, as
// golang.org/x/oauth2's Token.Extra does: for a JSON response, the value
// encoding/json decodes into an any (numbers as float64, objects as
// map[string]any); for a form-encoded response, the field's first value as
// an int64 or a float64 when it reads as one, as a string otherwise. It
// serves the fields that have no Token field, such as "user_id" or
// Microsoft's "ext_expires_in". A nil t returns nil.
func (t *Token) Extra(key string) any {
	if t == nil || t.raw == nil {
		return nil
	}
	v, ok := t.raw[key]
	if !ok {
		return nil
	}
	if t.form {
		return formValue(v.(string))
	}
	return plainJSON(v)
}

// formValue converts a form value as golang.org/x/oauth2 does: an int64
// when it has no '.' and parses as one, a float64 when it has one '.' and
// parses as one, the string otherwise.
func formValue(v string) any {
	switch s := strings.TrimSpace(v); strings.Count(s, ".") {
	case 0:
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return i
		}
	case 1:
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return f
		}
	}
	return v
}

// plainJSON returns v, decoded with json.Decoder.UseNumber, as a plain
// decode would have given it: json.Number becomes float64, in objects and
// arrays too.
func plainJSON(v any) any {
	switch x := v.(type) {
	case json.Number:
		f, err := strconv.ParseFloat(string(x), 64)
		if err != nil {
			return string(x) // out of range: as precise as it gets
		}
		return f
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = plainJSON(e)
		}
		return m
	case []any:
		s := make([]any, len(x))
		for i, e := range x {
			s[i] = plainJSON(e)
		}
		return s
	}
	return v
}

// WithExtra returns a copy of t whose extra fields are extra, for code
// that adapts tokens from another library, as golang.org/x/oauth2's method
// of that name does: a map[string]any is read as JSON values, a url.Values
// as form fields (the first value of each); any other value leaves the
// copy without extra fields. extra is copied.
func (t *Token) WithExtra(extra any) *Token {
	t2 := *t
	t2.raw, t2.form = nil, false
	switch x := extra.(type) {
	case map[string]any:
		t2.raw = make(map[string]any, len(x))
		for k, v := range x {
			t2.raw[k] = v
		}
	case url.Values:
		t2.raw, t2.form = make(map[string]any, len(x)), true
		for k, v := range x {
			if len(v) > 0 {
				t2.raw[k] = v[0]
			}
		}
	}
	return &t2
}

// Valid reports whether t has an access token that has not expired by
// time.Now. Unlike golang.org/x/oauth2's Valid, it does not count a token
// as expired 10 seconds early: a Session refreshes ahead of the expiry on
// its own (Config.Leeway). A nil t is not valid.
func (t *Token) Valid() bool { return t.ValidAt(time.Now()) }

// ValidAt reports whether t has an access token that has not expired at
// now. A nil t is not valid.
func (t *Token) ValidAt(now time.Time) bool {
	return t != nil && t.AccessToken != "" && (t.Expiry.IsZero() || now.Before(t.Expiry))
}

// Type returns the token type for an Authorization header, as
// golang.org/x/oauth2's method of that name does: "Bearer" when TokenType
// is empty or any capitalization of bearer, "MAC" and "Basic" for any
// capitalization of those, TokenType otherwise; and "DPoP" for any
// capitalization of DPoP (RFC 9449 §7.1), or any token with a DPoPJKT.
func (t *Token) Type() string {
	switch {
	case t.DPoPJKT != "" || strings.EqualFold(t.TokenType, "dpop"):
		return "DPoP"
	case t.TokenType == "" || strings.EqualFold(t.TokenType, "bearer"):
		return "Bearer"
	case strings.EqualFold(t.TokenType, "mac"):
		return "MAC"
	case strings.EqualFold(t.TokenType, "basic"):
		return "Basic"
	}
	return t.TokenType
}

// SetAuthHeader sets the Authorization header of r to Type and the access
// token (RFC 6750 §2.1). It modifies r: use it on a request of one's own,
// never one a RoundTripper was given.
func (t *Token) SetAuthHeader(r *http.Request) {
	if r.Header == nil {
		r.Header = make(http.Header)
	}
	r.Header.Set("Authorization", t.Type()+" "+t.AccessToken)
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
	if t.DPoPJKT != "" {
		b.WriteString(" DPoPJKT:")
		b.WriteString(strconv.Quote(t.DPoPJKT))
	}
	if t.IDToken != "" {
		b.WriteString(" IDToken:<redacted>")
	}
	b.WriteString("}")
	return b.String()
}

// Format implements fmt.Formatter: every verb prints String (quoted for
// %q), so that no verb reaches the tokens.
func (t Token) Format(f fmt.State, verb rune) { urlenc.Format(f, verb, t.String()) }

// parseTokenResponse parses a token endpoint response. status and
// contentType come from the HTTP response; now stamps the expiry; secrets
// are the credentials the request sent, scrubbed from an *Error.
// A 2xx without "error" gives a token; anything else an *Error.
func parseTokenResponse(endpoint string, status int, contentType string, body []byte, now time.Time, secrets []string) (*Token, error) {
	vals, form, err := decodeResponse(contentType, body)
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
	return tokenFromValues(endpoint, vals, form, now)
}

// tokenFromValues builds a Token from decoded response fields, strings
// from a form when form is set.
func tokenFromValues(endpoint string, vals map[string]any, form bool, now time.Time) (*Token, error) {
	tok := &Token{
		AccessToken:  str(vals["access_token"]),
		TokenType:    str(vals["token_type"]),
		RefreshToken: str(vals["refresh_token"]),
		IDToken:      str(vals["id_token"]),
		raw:          vals,
		form:         form,
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
	// An expires_in that is not a number leaves the lifetime unknown, as
	// an absent one does (RFC 6749 §5.1 makes it optional), rather than
	// fail: the server issued the token, and a refresh has spent the
	// refresh token it replaces.
	if secs, err := expiresIn(vals["expires_in"]); err == nil && secs > 0 {
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
// string holding one. Fractions are truncated; absent or <= 0 is 0; more
// than 100 years, beyond float64's range included, is 100 years.
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
	// Beyond float64's range, ParseFloat returns ±Inf and ErrRange: the
	// clamps below apply, before the conversion, which is
	// implementation-defined out of int64's range.
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) || math.IsNaN(f) {
		return 0, errBadExpiresIn
	}
	return int64(min(max(f, 0), maxSecs)), nil
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

// decodeResponse decodes a JSON object or a form-encoded body into a map,
// and reports whether it was a form (the values are then the first value
// of each field). The Content-Type decides; any other one, or none, is
// sniffed (a body starting with '{' is JSON): text/plain too, which
// servers use for forms (Facebook's tokens) and for JSON (Kanidm's
// errors) alike.
func decodeResponse(contentType string, body []byte) (map[string]any, bool, error) {
	mt, _, _ := mime.ParseMediaType(contentType)
	asJSON := false
	switch {
	case mt == "application/json" || strings.HasSuffix(mt, "+json"):
		asJSON = true
	case mt == "application/x-www-form-urlencoded":
		asJSON = false
	default:
		asJSON = bytes.HasPrefix(bytes.TrimSpace(body), []byte("{"))
	}
	if asJSON {
		m, err := decodeJSONObject(body)
		return m, false, err
	}
	p, err := urlenc.ParseForm(string(bytes.TrimSpace(body)))
	if err != nil {
		return nil, true, err
	}
	m := make(map[string]any, len(p))
	for _, kv := range p {
		if _, dup := m[kv.Key]; !dup {
			m[kv.Key] = kv.Value
		}
	}
	return m, true, nil
}
