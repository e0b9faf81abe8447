package interop

// The OpenID provider of the NodeOP tests: panva's oidc-provider (npm),
// run by testdata/oidcprovider/server.js as a Node.js subprocess, with the
// clients and the user below. The user agent and the transcript of the
// client's requests are in nodeop_agent_test.go.

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
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
