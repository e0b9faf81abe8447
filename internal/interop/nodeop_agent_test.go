package interop

// The user agent of the NodeOP tests, which goes through the node OP's
// interactions, forms and device pages with none of oauthkit's code, and
// the transcript of what oauthkit's client sent to the OP and got.

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// userAgent is a browser with its own cookies, using none of oauthkit's
// code, that follows redirects until one leads to redirectURL.
type userAgent struct {
	c        *http.Client
	callback string // the URL of the redirect to redirectURL, once there was one
}

func newUserAgent(t testing.TB) *userAgent {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	ua := &userAgent{}
	ua.c = &http.Client{Jar: jar, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if strings.HasPrefix(req.URL.String(), redirectURL) {
			ua.callback = req.URL.String()
			return http.ErrUseLastResponse
		}
		if len(via) > 20 {
			return fmt.Errorf("more than 20 redirects")
		}
		return nil
	}}
	return ua
}

// get is do of a GET of rawURL.
func (ua *userAgent) get(t testing.TB, rawURL string) (int, *url.URL, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	return ua.do(t, req)
}

// do sends req and returns the last response's status, final URL and
// body.
func (ua *userAgent) do(t testing.TB, req *http.Request) (int, *url.URL, string) {
	t.Helper()
	resp, err := ua.c.Do(req)
	if err != nil {
		t.Fatalf("user agent: %s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		t.Fatalf("user agent: %s %s: %v", req.Method, req.URL, err)
	}
	return resp.StatusCode, resp.Request.URL, string(body)
}

// authorize sends the user to authURL, where server.js's interactions sign
// them in and consent, and returns the callback URL the OP redirects to.
func (o *nodeOP) authorize(t testing.TB, authURL string) string {
	t.Helper()
	ua := newUserAgent(t)
	status, last, body := ua.get(t, authURL)
	if ua.callback == "" {
		t.Fatalf("authorization request: no redirect to the client: %d %s\n%s", status, last, pageText(body))
	}
	return ua.callback
}

// authorizeFormPost sends the user to authURL, an authorization request
// with response_mode=form_post, and returns the request the user agent
// makes to the redirect URL: a POST of the OP's auto-submitting form.
func (o *nodeOP) authorizeFormPost(t testing.TB, authURL string) *http.Request {
	t.Helper()
	ua := newUserAgent(t)
	status, last, body := ua.get(t, authURL)
	i := strings.Index(body, `<form method="post" action="`+redirectURL+`">`)
	if status != http.StatusOK || i < 0 {
		t.Fatalf("authorization request: no form posting to the client: %d %s\n%s", status, last, pageText(body))
	}
	v := url.Values{}
	for _, m := range hiddenInput.FindAllStringSubmatch(body[i:], -1) {
		v.Add(html.UnescapeString(m[1]), html.UnescapeString(m[2]))
	}
	cb, err := http.NewRequest(http.MethodPost, redirectURL, strings.NewReader(v.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	cb.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return cb
}

// hiddenInput matches the hidden inputs of oidc-provider's forms
// (helpers/user_code_form.js, response_modes/form_post.js).
var hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)"/>`)

// htmlForm returns the hidden inputs of the form with the given id in page.
func htmlForm(t testing.TB, page, id string) url.Values {
	t.Helper()
	i := strings.Index(page, `<form id="`+id+`"`)
	if i < 0 {
		t.Fatalf("no form %q in the page:\n%.800s", id, page)
	}
	page = page[i:]
	if j := strings.Index(page, "</form>"); j >= 0 {
		page = page[:j]
	}
	v := url.Values{}
	for _, m := range hiddenInput.FindAllStringSubmatch(page, -1) {
		v.Add(html.UnescapeString(m[1]), html.UnescapeString(m[2]))
	}
	return v
}

// device plays the user at the OP's device pages (RFC 8628 §3.3): opens
// verificationURI, enters userCode, and confirms (allow) or aborts; the
// confirmation runs the interactions that sign the user in and consent.
func (o *nodeOP) device(t testing.TB, verificationURI, userCode string, allow bool) {
	t.Helper()
	ua := newUserAgent(t)
	_, page, body := ua.get(t, verificationURI)
	post := func(v url.Values) string {
		t.Helper()
		req, err := http.NewRequest(http.MethodPost, page.String(), strings.NewReader(v.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		status, last, body := ua.do(t, req)
		if status != http.StatusOK {
			t.Fatalf("device pages: POST %s: %d at %s\n%.800s", page, status, last, body)
		}
		return body
	}
	in := htmlForm(t, body, "op.deviceInputForm")
	in.Set("user_code", userCode)
	confirm := htmlForm(t, post(in), "op.deviceConfirmForm")
	if confirm.Get("user_code") == "" || confirm.Get("confirm") != "yes" {
		t.Fatalf("device pages: unexpected confirmation form %v", confirm)
	}
	if !allow {
		confirm.Del("confirm")
		confirm.Set("abort", "yes") // the page's Abort button
	}
	post(confirm)
}

// transcript is what the client sent to the node OP and what it got:
// method, path, whether a DPoP proof went along and with which nonce, and
// the status and error code of the answer. It holds no credential.
type transcript struct {
	mu      sync.Mutex
	entries []exchange
}

type exchange struct {
	Method, Path string
	Auth         string // the Authorization scheme, or ""
	DPoP         bool   // a DPoP header was sent
	Nonce        string // the DPoP proof's "nonce", or ""
	Status       int
	Error        string // "error" of a JSON body, or of a WWW-Authenticate challenge
	NonceGiven   bool   // the answer had a DPoP-Nonce header
}

func (e exchange) String() string {
	s := fmt.Sprintf("%s %s", e.Method, e.Path)
	if e.Auth != "" {
		s += " auth=" + e.Auth
	}
	if e.DPoP {
		s += " dpop"
		if e.Nonce != "" {
			s += "(nonce)"
		}
	}
	s += fmt.Sprintf(" -> %d", e.Status)
	if e.Error != "" {
		s += " " + e.Error
	}
	if e.NonceGiven {
		s += " +DPoP-Nonce"
	}
	return s
}

func (l *transcript) add(e exchange) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, e)
}

// since returns the exchanges from the n-th on.
func (l *transcript) since(n int) []exchange {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]exchange(nil), l.entries[n:]...)
}

func (l *transcript) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.entries)
}

// recorder is the base RoundTripper of oauthkit's calls: it adds each
// exchange to log.
type recorder struct {
	base http.RoundTripper
	log  *transcript
}

var challengeError = regexp.MustCompile(`error="([^"]*)"`)

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	e := exchange{Method: req.Method, Path: req.URL.Path}
	if a := req.Header.Get("Authorization"); a != "" {
		e.Auth, _, _ = strings.Cut(a, " ")
	}
	if p := req.Header.Get("DPoP"); p != "" {
		e.DPoP = true
		e.Nonce = proofNonce(p)
	}
	resp, err := r.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	e.Status = resp.StatusCode
	e.NonceGiven = resp.Header.Get("DPoP-Nonce") != ""
	if m := challengeError.FindStringSubmatch(resp.Header.Get("WWW-Authenticate")); m != nil {
		e.Error = m[1]
	}
	if resp.StatusCode >= 400 && e.Error == "" {
		body, rerr := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(body))
		if rerr != nil {
			return nil, rerr
		}
		var v struct {
			Error string `json:"error"`
		}
		if json.Unmarshal(body, &v) == nil {
			e.Error = v.Error
		}
	}
	r.log.add(e)
	return resp, nil
}

// proofNonce returns the "nonce" claim of a DPoP proof, read without
// verifying it, or "".
func proofNonce(proof string) string {
	parts := strings.Split(proof, ".")
	if len(parts) != 3 {
		return ""
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return ""
	}
	var v struct {
		Nonce string `json:"nonce"`
	}
	json.Unmarshal(payload, &v)
	return v.Nonce
}

var (
	styleOrScript = regexp.MustCompile(`(?s)<(style|script)[^>]*>.*?</(style|script)>`)
	tag           = regexp.MustCompile(`<[^>]*>`)
	spaces        = regexp.MustCompile(`\s+`)
)

// pageText is the text of an HTML page, for a test failure's message.
func pageText(page string) string {
	s := styleOrScript.ReplaceAllString(page, "")
	s = spaces.ReplaceAllString(html.UnescapeString(tag.ReplaceAllString(s, " ")), " ")
	if len(s) > 800 {
		s = s[:800] + "..."
	}
	return strings.TrimSpace(s)
}
