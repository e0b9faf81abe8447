package fakeprovider

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/oauthkit/oauth/internal/urlenc"
)

// The page has the shape of the example of OAuth 2.0 Form Post Response
// Mode §5, with every name and value HTML-escaped.
func TestFormPostPage(t *testing.T) {
	got := formPostPage("https://client.example.org/cb?a=1&b=2", params("state", `"<x>&'`, "code", "c1"))
	want := `<!DOCTYPE html>
<html>
<head><title>Submit This Form</title></head>
<body onload="javascript:document.forms[0].submit()">
<form method="post" action="https://client.example.org/cb?a=1&amp;b=2">
<input type="hidden" name="state" value="&#34;&lt;x&gt;&amp;&#39;"/>
<input type="hidden" name="code" value="c1"/>
</form>
</body>
</html>
`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("formPostPage mismatch (-want +got):\n%s", diff)
	}
}

func TestReadFormPost(t *testing.T) {
	tests := []struct {
		name       string
		page       string
		wantAction string
		wantForm   url.Values
		wantErr    error
	}{
		// OAuth 2.0 Form Post Response Mode §5, the id_token shortened.
		{"spec example", `<html>
   <head><title>Submit This Form</title></head>
   <body onload="javascript:document.forms[0].submit()">
    <form method="post" action="https://client.example.org/callback">
      <input type="hidden" name="state"
       value="DcP7csa3hMlvybERqcieLHrRzKBra"/>
      <input type="hidden" name="id_token"
       value="eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ"/>
    </form>
   </body>
  </html>`, "https://client.example.org/callback",
			url.Values{"state": {"DcP7csa3hMlvybERqcieLHrRzKBra"}, "id_token": {"eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ"}}, nil},
		{"escaped, unclosed inputs", `<!DOCTYPE html><form METHOD="POST" action="https://c.example/cb?a=1&amp;b=2">` +
			`<input type="hidden" name="state" value="&#34;&lt;x&gt;&amp;&#39;&nbsp;"><input name="code" value="c1"></form>`,
			"https://c.example/cb?a=1&b=2", url.Values{"state": {"\"<x>&'\u00a0"}, "code": {"c1"}}, nil},
		{"inputs outside the form ignored", `<input name="x" value="1"><form method="post" action="/cb"><input name="code" value="c"></form><input name="y" value="2">`,
			"/cb", url.Values{"code": {"c"}}, nil},
		{"no form", `<html><body>denied</body></html>`, "", nil, ErrNoFormPost},
		{"a form that gets", `<form method="get" action="/cb"><input name="code" value="c"></form>`, "", nil, ErrNoFormPost},
		{"plain text", `code=c&state=s`, "", nil, ErrNoFormPost},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			action, form, err := ReadFormPost(strings.NewReader(tt.page))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if action != tt.wantAction {
				t.Errorf("action = %q, want %q", action, tt.wantAction)
			}
			if diff := cmp.Diff(tt.wantForm, form); diff != "" {
				t.Errorf("form mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// The authorization endpoint answers response_mode=form_post with a page
// that posts the response, success or error, to the redirect URI.
func TestOAuth2FormPostResponseMode(t *testing.T) {
	page := func(t *testing.T, s *Server, q urlenc.Params) url.Values {
		t.Helper()
		r := authorize(t, s, q)
		if r.status != http.StatusOK || r.header.Get("Content-Type") != "text/html; charset=utf-8" ||
			!strings.Contains(r.header.Get("Cache-Control"), "no-store") {
			t.Fatalf("authorize: %d %v, want 200 text/html no-store", r.status, r.header)
		}
		action, form, err := ReadFormPost(strings.NewReader(r.body))
		if err != nil || action != testRedirect {
			t.Fatalf("ReadFormPost = %q, %v, %v; want the redirect URI", action, form, err)
		}
		return form
	}
	t.Run("code", func(t *testing.T) {
		s := o2Server(t, nil)
		form := page(t, s, params("response_type", "code", "response_mode", "form_post", "client_id", "basic-client",
			"redirect_uri", testRedirect, "state", "s1"))
		if form.Get("state") != "s1" || form.Get("iss") != s.URL+"/oauth2" || len(form) != 3 {
			t.Errorf("form = %v, want code, state s1 and iss", form)
		}
		post(t, s, OAuth2TokenPath, basicAuth("basic-client", "basic-secret"),
			params("grant_type", "authorization_code", "code", form.Get("code"), "redirect_uri", testRedirect)).wantOK(t)
	})
	t.Run("implicit", func(t *testing.T) {
		s := o2Server(t, nil)
		form := page(t, s, params("response_type", "token", "response_mode", "form_post", "client_id", "public-client",
			"redirect_uri", testRedirect, "state", "s2"))
		if form.Get("token_type") != "Bearer" || form.Get("state") != "s2" {
			t.Errorf("form = %v, want a bearer token and state s2", form)
		}
		bearerGet(t, s, form.Get("access_token")).wantOK(t)
	})
	t.Run("error", func(t *testing.T) {
		s := o2Server(t, func(o *OAuth2) { o.DenyAuthorization = true })
		form := page(t, s, params("response_type", "code", "response_mode", "form_post", "client_id", "basic-client",
			"redirect_uri", testRedirect, "state", "s3"))
		if form.Get("error") != "access_denied" || form.Get("state") != "s3" || form.Has("code") {
			t.Errorf("form = %v, want error=access_denied, state s3, no code", form)
		}
	})
	t.Run("query mode for a token is refused in the fragment", func(t *testing.T) {
		s := o2Server(t, nil)
		p := redirectParams(t, authorize(t, s, params("response_type", "token", "response_mode", "query", "client_id", "public-client",
			"redirect_uri", testRedirect)), urlenc.Fragment)
		if p.Get("error") != "invalid_request" {
			t.Errorf("fragment = %v, want error=invalid_request", p)
		}
	})
}
