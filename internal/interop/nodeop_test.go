package interop

// The OpenID provider of the NodeOP tests: panva's oidc-provider (npm),
// run by testdata/oidcprovider/server.js as a Node.js subprocess, with the
// clients and the user below; the user agent that goes through its
// interactions and device pages; and a transcript of what the client sent
// and got.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/oidc"
	"github.com/oauthkit/oauth/signer/jose"
)

// nodeOPDir holds server.js, package.json and package-lock.json; `npm ci`
// there installs node_modules.
const nodeOPDir = "testdata/oidcprovider"

// nodeOPStartTimeout bounds the wait for server.js's "listening" line.
const nodeOPStartTimeout = 30 * time.Second

// The end-user who signs in at the node OP, as server.js's findAccount
// returns it: "sub" and the claims of the profile and email scopes.
var nodeUser = oidc.UserInfo{Subject: "alice-0001", StandardClaims: oidc.StandardClaims{
	Name: "Alice Liddell", GivenName: "Alice", FamilyName: "Liddell",
	Email: "alice@example.com", EmailVerified: true,
}}

// Client secrets of the node OP's clients. client_secret_jwt's HS256 key
// is its secret, so it has 256 bits.
const (
	nodeBasicSecret = "basic secret +/&=0001"
	nodePostSecret  = "post secret &+/=~%" // client-secret is VSCHAR (RFC 6749 Appendix A.2)
	nodeJWTSecret   = "client-secret-jwt-0001-0123456789abcdef0123456789"
	nodePARSecret   = "par-secret-0001"
	nodeDevSecret   = "device-secret-0001"
	nodeSvcSecret   = "service secret: +/&=%"
)

// nodeClients are the node OP's clients (RFC 7591 metadata):
//
//	basic      client_secret_basic; code, refresh (secret with +, /, &, =, space)
//	post       client_secret_post
//	secretjwt  client_secret_jwt (HS256 with its secret)
//	pkjwt      private_key_jwt with the keys ec1 (ES256) and rsa1 (RS256, PS256)
//	public     none (PKCE only)
//	dpop       none, dpop_bound_access_tokens: every token request needs a proof
//	par        client_secret_basic, require_pushed_authorization_requests
//	device     client_secret_basic; device code, refresh
//	service    client_secret_basic; client credentials
func nodeClients() ([]map[string]any, error) {
	k := keys()
	var set []json.RawMessage
	for _, c := range []struct {
		kid string
		key any
	}{{"ec1", k.ec1.Public()}, {"rsa1", k.rsa1.Public()}} {
		jwk, err := jose.PublicJWK(c.key)
		if err != nil {
			return nil, err
		}
		jwk.KeyID = c.kid
		b, err := json.Marshal(jwk)
		if err != nil {
			return nil, err
		}
		set = append(set, b)
	}
	code := []string{"authorization_code", "refresh_token"}
	web := func(id, secret, method string) map[string]any {
		c := map[string]any{
			"client_id": id, "redirect_uris": []string{redirectURL},
			"grant_types": code, "response_types": []string{"code"},
			"token_endpoint_auth_method": method,
		}
		if secret != "" {
			c["client_secret"] = secret
		}
		return c
	}
	par := web("par", nodePARSecret, "client_secret_basic")
	par["require_pushed_authorization_requests"] = true
	pkjwt := web("pkjwt", "", "private_key_jwt")
	pkjwt["jwks"] = map[string]any{"keys": set}
	dpop := web("dpop", "", "none")
	dpop["dpop_bound_access_tokens"] = true
	noRedirect := func(id, secret string, grants ...string) map[string]any {
		return map[string]any{
			"client_id": id, "client_secret": secret, "redirect_uris": []string{},
			"grant_types": grants, "response_types": []string{},
			"token_endpoint_auth_method": "client_secret_basic",
		}
	}
	return []map[string]any{
		web("basic", nodeBasicSecret, "client_secret_basic"),
		web("post", nodePostSecret, "client_secret_post"),
		web("secretjwt", nodeJWTSecret, "client_secret_jwt"),
		pkjwt,
		web("public", "", "none"),
		dpop,
		par,
		noRedirect("device", nodeDevSecret, "urn:ietf:params:oauth:grant-type:device_code", "refresh_token"),
		noRedirect("service", nodeSvcSecret, "client_credentials"),
	}, nil
}

// testOPSigner is a JWS signer with one of the client keys of keys().
func testOPSigner(t testing.TB, alg, kid string) jose.Signer {
	t.Helper()
	return (&testOP{keys: keys()}).signer(t, alg, kid)
}

// nodeOPOptions are the provider-wide settings of one run of server.js.
type nodeOPOptions struct {
	RequireDPoPNonce bool `json:"requireDPoPNonce"` // RFC 9449 §8, §9
	RequirePAR       bool `json:"requirePAR"`       // RFC 9126 §5
}

var (
	nodeOnce sync.Once
	nodePath string
	nodeWhy  string // why the node OP cannot run
)

// nodeBinary returns the node to run server.js with: $OAUTHKIT_NODE if
// set, else node on $PATH; and it checks that `npm ci` has installed
// testdata/oidcprovider/node_modules with the oidc-provider release
// package.json pins. When either is missing the test is skipped, or fails
// if OAUTHKIT_REQUIRE_NODE_OP=1 (as in CI).
func nodeBinary(t testing.TB) string {
	t.Helper()
	nodeOnce.Do(func() {
		node := os.Getenv("OAUTHKIT_NODE")
		if node == "" {
			p, err := exec.LookPath("node")
			if err != nil {
				nodeWhy = "no node on $PATH (Debian: apt-get install nodejs npm)"
				return
			}
			node = p
		}
		var pkg struct {
			Dependencies map[string]string `json:"dependencies"`
		}
		var installed struct {
			Version string `json:"version"`
		}
		if err := readJSON(filepath.Join(nodeOPDir, "package.json"), &pkg); err != nil {
			nodeWhy = err.Error()
			return
		}
		if err := readJSON(filepath.Join(nodeOPDir, "node_modules", "oidc-provider", "package.json"), &installed); err != nil {
			nodeWhy = fmt.Sprintf("oidc-provider is not installed (run `npm ci` in internal/interop/%s): %v", nodeOPDir, err)
			return
		}
		if want := pkg.Dependencies["oidc-provider"]; installed.Version != want {
			nodeWhy = fmt.Sprintf("oidc-provider %s is installed, package.json pins %s (run `npm ci` in internal/interop/%s)", installed.Version, want, nodeOPDir)
			return
		}
		nodePath = node
	})
	if nodePath == "" {
		if os.Getenv("OAUTHKIT_REQUIRE_NODE_OP") == "1" {
			t.Fatal(nodeWhy + " (OAUTHKIT_REQUIRE_NODE_OP=1)")
		}
		t.Skip(nodeWhy + " (set OAUTHKIT_REQUIRE_NODE_OP=1 to fail instead)")
	}
	return nodePath
}

func readJSON(name string, v any) error {
	b, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// nodeOP is a running server.js and what the tests know about it.
type nodeOP struct {
	issuer   string // "http://127.0.0.1:port", no trailing slash
	log      *transcript
	client   *http.Client // the HTTP client of oauthkit's calls: records them in log
	provider *oidc.Provider
	stderr   *lockedBuffer
	cmd      *exec.Cmd
}

// The node OPs, one per nodeOPOptions, each started by the first test
// that needs it and stopped by TestMain after the last: starting one
// costs more than all the flows a test runs against it. Tests that share
// one do not run in parallel, so that each test's exchanges are the
// transcript's since it began.
var nodeOPs = struct {
	sync.Mutex
	m map[nodeOPOptions]*nodeOPStart
}{m: map[nodeOPOptions]*nodeOPStart{}}

type nodeOPStart struct {
	once sync.Once
	op   *nodeOP
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	nodeOPs.Lock()
	for _, s := range nodeOPs.m {
		if s.op != nil {
			s.op.stop()
		}
	}
	nodeOPs.Unlock()
	os.Exit(code)
}

// startNodeOP returns the node OP for opts, started when no test started
// it before. If t fails, the OP's stderr and the client's requests since
// the call are logged at its end.
func startNodeOP(t testing.TB, opts nodeOPOptions) *nodeOP {
	t.Helper()
	node := nodeBinary(t)
	nodeOPs.Lock()
	s := nodeOPs.m[opts]
	if s == nil {
		s = &nodeOPStart{}
		nodeOPs.m[opts] = s
	}
	nodeOPs.Unlock()
	s.once.Do(func() { s.op, s.err = runNodeOP(node, opts) })
	if s.err != nil {
		t.Fatal(s.err)
	}
	o := s.op
	since := o.log.len()
	t.Cleanup(func() {
		if !t.Failed() && !testing.Verbose() {
			return
		}
		var b strings.Builder
		for _, e := range o.log.since(since) {
			fmt.Fprintf(&b, "\t%s\n", e)
		}
		t.Logf("requests of the client to %s:\n%s", o.issuer, b.String())
		if t.Failed() {
			t.Logf("server.js stderr:\n%s", o.stderr.String())
		}
	})
	return o
}

// runNodeOP starts server.js with opts, waits for it to listen, and runs
// discovery against it.
func runNodeOP(node string, opts nodeOPOptions) (*nodeOP, error) {
	clients, err := nodeClients()
	if err != nil {
		return nil, err
	}
	conf := struct {
		nodeOPOptions
		Clients []map[string]any `json:"clients"`
		User    map[string]any   `json:"user"`
	}{opts, clients, map[string]any{
		"sub": nodeUser.Subject, "name": nodeUser.Name, "given_name": nodeUser.GivenName,
		"family_name": nodeUser.FamilyName, "email": nodeUser.Email, "email_verified": nodeUser.EmailVerified,
	}}
	b, err := json.Marshal(conf)
	if err != nil {
		return nil, err
	}
	// server.js reads its configuration at once, before it listens: the
	// file can go as soon as it does.
	f, err := os.CreateTemp("", "oauthkit-nodeop-*.json")
	if err != nil {
		return nil, err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(b); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}

	o := &nodeOP{log: &transcript{}, stderr: &lockedBuffer{}}
	o.cmd = exec.Command(node, "server.js", f.Name())
	o.cmd.Dir = nodeOPDir
	o.cmd.Stderr = o.stderr
	stdout, err := o.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := o.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", node, err)
	}
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(stdout).ReadString('\n')
		line <- s
		io.Copy(io.Discard, stdout) // until the process ends
	}()
	timer := time.NewTimer(nodeOPStartTimeout)
	defer timer.Stop()
	select {
	case s := <-line:
		var ok bool
		o.issuer, ok = strings.CutPrefix(strings.TrimSpace(s), "listening ")
		if !ok || !strings.HasPrefix(o.issuer, "http://127.0.0.1:") {
			o.stop()
			return nil, fmt.Errorf("server.js did not start: stdout %q\nstderr:\n%s", s, o.stderr.String())
		}
	case <-timer.C:
		o.stop()
		return nil, fmt.Errorf("server.js did not say it was listening within %v\nstderr:\n%s", nodeOPStartTimeout, o.stderr.String())
	}

	o.client = &http.Client{Transport: &recorder{base: http.DefaultTransport, log: o.log}}
	o.provider, err = oidc.NewProvider(context.Background(), o.issuer, &oidc.Options{HTTPClient: o.client})
	if err != nil {
		o.stop()
		return nil, fmt.Errorf("oidc.NewProvider(%q): %w\nserver.js stderr:\n%s", o.issuer, err, o.stderr.String())
	}
	return o, nil
}

// stop kills server.js and waits for it.
func (o *nodeOP) stop() {
	o.cmd.Process.Kill()
	o.cmd.Wait()
}

// config is the oauth2.Config discovery makes of c for the node OP.
func (o *nodeOP) config(t testing.TB, c oauth2.Config) *oauth2.Config {
	t.Helper()
	c.HTTPClient = o.client
	if c.RedirectURL == "" {
		c.RedirectURL = redirectURL
	}
	cfg, err := o.provider.Metadata().Config(c)
	if err != nil {
		t.Fatalf("Metadata.Config: %v", err)
	}
	return cfg
}

// The node OP's clients as oauth2.Configs, asking for an ID token and a
// refresh token.
var nodeScopes = []string{"openid", "profile", "email", "offline_access"}

func (o *nodeOP) basic(t testing.TB) *oauth2.Config {
	return o.config(t, oauth2.Config{ClientID: "basic", ClientSecret: nodeBasicSecret, Scopes: nodeScopes})
}

func (o *nodeOP) public(t testing.TB) *oauth2.Config {
	return o.config(t, oauth2.Config{ClientID: "public", Scopes: nodeScopes})
}

func (o *nodeOP) verifier(clientID string) *oidc.IDTokenVerifier {
	return o.provider.Verifier(&oidc.Config{ClientID: clientID})
}

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
	req, err := http.NewRequest(http.MethodGet, authURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	status, last, body := ua.do(t, req)
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
	req, err := http.NewRequest(http.MethodGet, authURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	status, last, body := ua.do(t, req)
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
	get, err := http.NewRequest(http.MethodGet, verificationURI, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, page, body := ua.do(t, get)
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
