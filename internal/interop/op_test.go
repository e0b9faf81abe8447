package interop

// The OpenID provider under test: zitadel/oidc's example OP on an
// httptest.Server, with the clients and keys the tests need, and the user
// agent that signs in at its pages.

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	gojose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	zoidc "github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/oidc"
	"github.com/oauthkit/oauth/signer/jose"
)

const (
	// redirectURL is every client's redirect URI. Nothing listens there:
	// the user agent stops at the redirect to it.
	redirectURL = "http://127.0.0.1:9999/cb"
	// userID and password are the first user of the example's user store
	// (storage.NewUserStore), an admin: token exchange needs one. Its
	// name depends on the issuer's host.
	userID   = "id1"
	password = "verysecure"

	tokenTypeAccess = "urn:ietf:params:oauth:token-type:access_token"
	tokenTypeID     = "urn:ietf:params:oauth:token-type:id_token"
)

// The OP's clients, besides its built-in service user sid1/verysecret
// (client credentials):
//
//	web/secret     client_secret_basic; code, refresh, token exchange
//	native         none (public, PKCE)
//	pkjwt          private_key_jwt with the keys ec1 (ES256), rsa1 (RS256, PS256)
//	device/secret  client_secret_basic; device code
//	service        issuer of JWT bearer assertions (RFC 7523), key svc1 (ES256)
func newClients() map[string]*storage.Client {
	m := make(map[string]*storage.Client)
	for _, c := range []*storage.Client{
		storage.WebClient("web", "secret", redirectURL),
		storage.NativeClient("native", redirectURL),
		storage.WebClient("pkjwt", "", redirectURL),
		storage.DeviceClient("device", "secret"),
	} {
		m[c.GetID()] = c
	}
	return m
}

// clientKeys are the private keys of pkjwt and service, made once per
// test binary (an RSA key takes a while).
type clientKeys struct {
	ec1, svc1 *ecdsa.PrivateKey
	rsa1      *rsa.PrivateKey
}

var keys = sync.OnceValue(func() clientKeys {
	var k clientKeys
	var err error
	if k.ec1, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		panic(err)
	}
	if k.svc1, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		panic(err)
	}
	if k.rsa1, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		panic(err)
	}
	return k
})

// pkjwtClient makes a storage client authenticate with private_key_jwt:
// the example's constructors offer only basic and none.
type pkjwtClient struct{ op.Client }

func (pkjwtClient) AuthMethod() zoidc.AuthMethod { return zoidc.AuthMethodPrivateKeyJWT }

// users works around the example's device flow, which records the user's
// name as the subject of a device authorization and then looks the
// subject up as a user ID.
type users struct{ storage.UserStore }

func (u users) GetUserByID(id string) *storage.User {
	if x := u.UserStore.GetUserByID(id); x != nil {
		return x
	}
	return u.UserStore.GetUserByUsername(id)
}

// store adds the client keys to the example's storage, which knows only
// its own service key.
type store struct {
	*storage.Storage
	keys map[string]map[string]crypto.PublicKey // client ID -> key ID -> key
}

func (s *store) GetClientByClientID(ctx context.Context, id string) (op.Client, error) {
	c, err := s.Storage.GetClientByClientID(ctx, id)
	if err == nil && id == "pkjwt" {
		return pkjwtClient{c}, nil
	}
	return c, err
}

func (s *store) GetKeyByIDAndClientID(ctx context.Context, kid, clientID string) (*gojose.JSONWebKey, error) {
	if k, ok := s.keys[clientID][kid]; ok {
		return &gojose.JSONWebKey{KeyID: kid, Use: "sig", Key: k}, nil
	}
	return s.Storage.GetKeyByIDAndClientID(ctx, kid, clientID)
}

// testOP is a running example OP and what the tests know about it.
type testOP struct {
	issuer   string // "http://127.0.0.1:port/"
	client   *http.Client
	provider *oidc.Provider
	user     *storage.User // the user who signs in, as the OP stores it
	keys     clientKeys
}

// The example sets slog's default logger to the one it is given; its
// request log would bury the test output.
var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// newOP starts an example OP with fresh storage, closed when t ends, and
// runs discovery against it.
func newOP(t testing.TB) *testOP {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	issuer := "http://" + srv.Listener.Addr().String() + "/"
	k := keys()
	us := users{storage.NewUserStore(issuer)}
	st := &store{
		Storage: storage.NewStorageWithClients(us, newClients()),
		keys: map[string]map[string]crypto.PublicKey{
			"pkjwt":   {"ec1": k.ec1.Public(), "rsa1": k.rsa1.Public()},
			"service": {"svc1": k.svc1.Public()},
		},
	}
	srv.Config.Handler = exampleop.SetupServer(issuer, st, quiet, false)
	srv.Start()
	t.Cleanup(srv.Close)

	o := &testOP{issuer: issuer, client: srv.Client(), keys: k, user: us.GetUserByID(userID)}
	if o.user == nil {
		t.Fatalf("the example's user store has no user %q", userID)
	}
	p, err := oidc.NewProvider(context.Background(), issuer, &oidc.Options{HTTPClient: o.client})
	if err != nil {
		t.Fatalf("NewProvider(%q): %v", issuer, err)
	}
	o.provider = p
	return o
}

// config is the oauth2.Config discovery makes of c for this OP.
func (o *testOP) config(t testing.TB, c oauth2.Config) *oauth2.Config {
	t.Helper()
	c.HTTPClient = o.client
	cfg, err := o.provider.Metadata().Config(c)
	if err != nil {
		t.Fatalf("Metadata.Config: %v", err)
	}
	return cfg
}

// web is the client_secret_basic client, asking for an ID token and a
// refresh token.
func (o *testOP) web(t testing.TB) *oauth2.Config {
	t.Helper()
	return o.config(t, oauth2.Config{ClientID: "web", ClientSecret: "secret", RedirectURL: redirectURL, Scopes: loginScopes})
}

var loginScopes = []string{"openid", "profile", "email", "offline_access"}

// signer is a JWS signer with one of the client keys.
func (o *testOP) signer(t testing.TB, alg, kid string) jose.Signer {
	t.Helper()
	var k crypto.Signer
	switch kid {
	case "ec1":
		k = o.keys.ec1
	case "rsa1":
		k = o.keys.rsa1
	case "svc1":
		k = o.keys.svc1
	default:
		t.Fatalf("no key %q", kid)
	}
	s, err := jose.NewSigner(alg, k)
	if err != nil {
		t.Fatalf("jose.NewSigner(%q): %v", alg, err)
	}
	return s
}

// authorize plays the user at the OP's login page for the authorization
// request authURL and returns the callback URL the OP redirects to.
func (o *testOP) authorize(t testing.TB, authURL string) string {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	var callback string
	ua := &http.Client{Jar: jar, Transport: o.client.Transport, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if strings.HasPrefix(req.URL.String(), redirectURL) {
			callback = req.URL.String()
			return http.ErrUseLastResponse
		}
		return nil
	}}
	resp, err := ua.Get(authURL)
	if err != nil {
		t.Fatalf("authorization request: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if callback != "" { // no login needed
		return callback
	}
	id := resp.Request.URL.Query().Get("authRequestID")
	if id == "" {
		t.Fatalf("authorization request: no login page: %s %s\n%.500s", resp.Status, resp.Request.URL, body)
	}
	loginURL := resp.Request.URL.ResolveReference(&url.URL{Path: "/login/username"})
	resp, err = ua.PostForm(loginURL.String(), url.Values{"id": {id}, "username": {o.user.Username}, "password": {password}})
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if callback == "" {
		t.Fatalf("login: no redirect to the client: %s %s\n%.500s", resp.Status, resp.Request.URL, body)
	}
	return callback
}

// login runs the authorization code flow of cfg, signing in at the OP,
// and verifies the ID token as a login of cfg.
func (o *testOP) login(t testing.TB, cfg *oauth2.Config, opts ...oauth2.Option) (*oauth2.Token, *oidc.IDToken, *oauth2.Login) {
	t.Helper()
	ctx := context.Background()
	l, err := cfg.NewLogin(ctx, opts...)
	if err != nil {
		t.Fatalf("NewLogin: %v", err)
	}
	tok, err := cfg.CompleteLoginURL(ctx, l, o.authorize(t, l.URL))
	if err != nil {
		t.Fatalf("CompleteLoginURL: %v", err)
	}
	id, err := o.provider.Verifier(&oidc.Config{ClientID: cfg.ClientID}).VerifyLogin(ctx, tok, l)
	if err != nil {
		t.Fatalf("VerifyLogin: %v", err)
	}
	return tok, id, l
}

// device plays the user at the OP's device pages: signs in with the user
// code and allows (or denies) the device.
func (o *testOP) device(t testing.TB, userCode string, allow bool) {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	ua := &http.Client{Jar: jar, Transport: o.client.Transport}
	post := func(path string, v url.Values) {
		t.Helper()
		resp, err := ua.PostForm(o.issuer+path, v)
		if err != nil {
			t.Fatalf("device pages: %s: %v", path, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("device pages: %s: %s", path, resp.Status)
		}
	}
	post("device/login", url.Values{"user_code": {userCode}, "username": {o.user.Username}, "password": {password}})
	action := "denied"
	if allow {
		action = "allowed"
	}
	post("device/confirm", url.Values{"action": {action}})
}

// assertion is a JWT bearer assertion (RFC 7523 §3) of the service for
// the OP, signed by s.
func (o *testOP) assertion(s jose.Signer, kid string) (string, error) {
	now := time.Now()
	h, err := json.Marshal(map[string]string{"alg": s.Alg(), "typ": "JWT", "kid": kid})
	if err != nil {
		return "", err
	}
	p, err := json.Marshal(map[string]any{
		"iss": "service", "sub": "service", "aud": o.issuer,
		"iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(),
		"jti": fmt.Sprint(now.UnixNano()),
	})
	if err != nil {
		return "", err
	}
	return jose.SignCompact(s, h, p)
}
