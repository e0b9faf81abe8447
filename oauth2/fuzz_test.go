package oauth2

import (
	"encoding/json"
	"testing"
	"time"
	"unicode/utf8"
)

func FuzzParseTokenResponse(f *testing.F) {
	for _, kind := range []string{"token_response", "error_response"} {
		for _, v := range loadVectors(f, kind) {
			var in httpInput
			if err := json.Unmarshal(v.Input, &in); err != nil {
				f.Fatal(err)
			}
			f.Add(in.Status, in.Headers["Content-Type"], []byte(in.Body))
		}
	}
	f.Add(200, "application/x-www-form-urlencoded", []byte("access_token=a&expires_in=1e3&token_type=mac"))
	f.Add(200, "", []byte(`{"access_token":"a","expires_in":"1e400","scope":["a","b"]}`))
	f.Add(200, "text/plain", []byte("access_token=%zz"))
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, status int, ct string, body []byte) {
		tok, err := parseTokenResponse("token", status, ct, body, now, nil)
		if err != nil {
			if tok != nil {
				t.Fatal("token and error")
			}
			return
		}
		if status < 200 || status > 299 {
			t.Fatalf("status %d accepted", status)
		}
		if tok.AccessToken == "" || tok.TokenType == "" {
			t.Fatalf("incomplete token %#v", tok)
		}
		if !tok.Expiry.IsZero() && !tok.Expiry.After(now) {
			t.Fatalf("expiry %v not after now", tok.Expiry)
		}
		if !utf8.ValidString(tok.AccessToken + tok.RefreshToken + tok.Scope) {
			return // JSON stores invalid UTF-8 as U+FFFD; real tokens are ASCII (RFC 6749 A.12)
		}
		data, err := json.Marshal(tok)
		if err != nil {
			t.Fatal(err)
		}
		var back Token
		if err := json.Unmarshal(data, &back); err != nil {
			t.Fatal(err)
		}
		if back.AccessToken != tok.AccessToken || back.RefreshToken != tok.RefreshToken || !back.Expiry.Equal(tok.Expiry) || back.Scope != tok.Scope {
			t.Fatalf("round trip: %#v != %#v", back, tok)
		}
	})
}
