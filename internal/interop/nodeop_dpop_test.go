package interop

// DPoP (RFC 9449) and the mix-up defence (RFC 9207) of oauthkit's OAuth 2
// client against panva's oidc-provider (nodeop_test.go).

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/dpop"
)

func newDPoPKey(t testing.TB) *dpop.Key {
	t.Helper()
	k, err := dpop.GenerateKey()
	if err != nil {
		t.Fatalf("dpop.GenerateKey: %v", err)
	}
	return k
}

// TestNodeOPDPoP runs logins with a DPoP key (RFC 9449), with and without
// a push (§10.1) and with the OP demanding nonces (§8, §9) or not, for a
// public client whose tokens must be DPoP-bound and a confidential one:
// the token is bound to the key (§5, §6), UserInfo accepts it with its
// proof (§7) and not as a Bearer token, the refresh is bound too, and the
// nonce challenges are answered at the token endpoint, the PAR endpoint
// and the resource.
func TestNodeOPDPoP(t *testing.T) {
	for _, nonce := range []bool{false, true} {
		t.Run(map[bool]string{false: "nonce optional", true: "nonce required"}[nonce], func(t *testing.T) {
			o := startNodeOP(t, nodeOPOptions{RequireDPoPNonce: nonce})
			for _, tt := range []struct {
				name     string
				client   string
				pushed   bool
				bindCode bool
			}{
				{"none, dpop_jkt", "dpop", false, true},
				{"none, pushed", "dpop", true, false},
				{"client_secret_basic", "basic", false, false},
				{"client_secret_basic, pushed", "basic", true, false},
			} {
				t.Run(tt.name, func(t *testing.T) {
					o.dpopLogin(t, tt.client, nonce, tt.pushed, tt.bindCode)
				})
			}
		})
	}
}

func (o *nodeOP) dpopConfig(t testing.TB, client string, key oauth2.DPoP) *oauth2.Config {
	t.Helper()
	c := oauth2.Config{ClientID: client, Scopes: nodeScopes, DPoP: key}
	if client == "basic" {
		c.ClientSecret = nodeBasicSecret
	}
	return o.config(t, c)
}

func (o *nodeOP) dpopLogin(t *testing.T, client string, nonce, pushed, bindCode bool) {
	ctx := context.Background()
	key := newDPoPKey(t)
	cfg := o.dpopConfig(t, client, key)
	var opts []oauth2.Option
	if pushed {
		opts = append(opts, oauth2.PushedAuthorization)
	}
	if bindCode {
		opts = append(opts, oauth2.BindCodeToDPoPKey)
	}

	start := o.log.len()
	tok, id, l := o.login(t, cfg, opts...)
	type bound struct {
		TokenType, JKT string
		Refresh        bool
	}
	if diff := cmp.Diff(bound{"DPoP", key.Thumbprint(), true}, bound{tok.TokenType, tok.DPoPJKT, tok.RefreshToken != ""}); diff != "" {
		t.Errorf("token (-want +got):\n%s", diff)
	}
	if pushed && nonce && l.DPoPNonce == "" {
		t.Errorf("Login.DPoPNonce is empty after a push the OP answered with a nonce")
	}
	in, err := cfg.IntrospectToken(ctx, tok.AccessToken, oauth2.HintAccessToken)
	if err != nil {
		t.Fatalf("IntrospectToken: %v", err)
	}
	cnf, _ := in.Extra["cnf"].(map[string]any)
	if !in.Active || in.TokenType != "DPoP" || cnf["jkt"] != key.Thumbprint() {
		t.Errorf("introspection: active %t, token_type %q, cnf %v; want active, DPoP, jkt %q", in.Active, in.TokenType, in.Extra["cnf"], key.Thumbprint())
	}

	// A new session knows no nonce yet: with nonces required, the first
	// UserInfo request meets a challenge at the resource.
	s := cfg.NewSession(tok)
	resource := o.log.len()
	if _, err := o.provider.UserInfo(ctx, s, id.Subject); err != nil {
		t.Fatalf("UserInfo with the DPoP-bound token: %v", err)
	}
	o.checkDPoPExchanges(t, o.log.since(resource), "/me", nonce)

	// The token without its proof, as a Bearer token.
	req, err := http.NewRequest(http.MethodGet, o.provider.Endpoint().UserInfoURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	resp, err := o.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	err = oauth2.CheckResponse(resp)
	resp.Body.Close()
	var e *oauth2.Error
	if !errors.As(err, &e) || e.StatusCode != http.StatusUnauthorized {
		t.Errorf("UserInfo with the DPoP-bound token as a Bearer token: got %v, want a 401 *oauth2.Error", err)
	}

	nt, err := s.Refresh(ctx)
	if err != nil {
		t.Fatalf("Session.Refresh: %v", err)
	}
	if nt.TokenType != "DPoP" || nt.DPoPJKT != key.Thumbprint() || nt.RefreshToken == tok.RefreshToken {
		t.Errorf("refreshed token: type %q, bound to the key %t, new refresh token %t; want DPoP, true, true",
			nt.TokenType, nt.DPoPJKT == key.Thumbprint(), nt.RefreshToken != tok.RefreshToken)
	}
	if _, err := o.provider.UserInfo(ctx, s, id.Subject); err != nil {
		t.Errorf("UserInfo with the refreshed token: %v", err)
	}
	o.checkDPoPExchanges(t, o.log.since(start), "/token", nonce)
	if pushed {
		o.checkDPoPExchanges(t, o.log.since(start), "/request", nonce)
	}

	// A public client's refresh token is bound to the key too (RFC 9449
	// §5): the OP refuses it with another key. oauthkit refuses to send it
	// so (ErrDPoPKeyMismatch) while the token records its key; a copy
	// that does not is sent.
	other := o.dpopConfig(t, client, newDPoPKey(t))
	if _, err := other.NewSession(nt).Refresh(ctx); !errors.Is(err, oauth2.ErrDPoPKeyMismatch) {
		t.Errorf("Refresh with another key: got %v, want ErrDPoPKeyMismatch", err)
	}
	if client == "dpop" {
		unbound := copyToken(t, nt)
		unbound.DPoPJKT = ""
		if _, err := other.NewSession(unbound).Refresh(ctx); !errors.Is(err, oauth2.ErrInvalidGrant) {
			t.Errorf("Refresh of the public client's refresh token with another key: got %v, want ErrInvalidGrant", err)
		}
	}
}

// checkDPoPExchanges checks the requests to path in log: each carried a
// proof, and with nonces required each either carried a nonce or was
// refused with use_dpop_nonce and sent again with one; the last
// succeeded. With nonces required at the resource ("/me"), the first
// request must have met the challenge: that is what the test is for.
func (o *nodeOP) checkDPoPExchanges(t testing.TB, log []exchange, path string, nonce bool) {
	t.Helper()
	var got []exchange
	for _, e := range log {
		if e.Path == path {
			got = append(got, e)
		}
	}
	if len(got) == 0 {
		t.Errorf("no request to %s", path)
		return
	}
	for i, e := range got {
		switch {
		case !e.DPoP:
			t.Errorf("request to %s without a DPoP proof: %v", path, e)
		case e.Error == "use_dpop_nonce" && (!nonce || e.Nonce != "" || i+1 == len(got) || got[i+1].Nonce == ""):
			t.Errorf("use_dpop_nonce not answered by a resend with the nonce: %v", got)
		case e.Error == "use_dpop_nonce":
		case e.Status >= 400:
			t.Errorf("request to %s refused: %v", path, e)
		case nonce && e.Nonce == "":
			t.Errorf("request to %s accepted without a nonce, which the OP requires: %v", path, e)
		}
	}
	if nonce && path == "/me" && got[0].Error != "use_dpop_nonce" {
		t.Errorf("first UserInfo request of a new session: %v, want the use_dpop_nonce challenge", got[0])
	}
}

func copyToken(t testing.TB, tok *oauth2.Token) *oauth2.Token {
	t.Helper()
	b, err := json.Marshal(tok)
	if err != nil {
		t.Fatal(err)
	}
	var c oauth2.Token
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	return &c
}

// TestNodeOPDPoPBinding checks what the OP refuses: a code bound to one
// key (dpop_jkt, or the proof of the push, RFC 9449 §10) exchanged with a
// proof of another, and a token request of a client that must use DPoP
// without a proof.
func TestNodeOPDPoPBinding(t *testing.T) {
	o := startNodeOP(t, nodeOPOptions{})
	ctx := context.Background()
	for _, tt := range []struct {
		name string
		opt  oauth2.Option
	}{
		{"dpop_jkt", oauth2.BindCodeToDPoPKey},
		{"pushed", oauth2.PushedAuthorization},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := o.dpopConfig(t, "dpop", newDPoPKey(t))
			l, err := cfg.NewLogin(ctx, tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			cb := o.authorize(t, l.URL)
			other := o.dpopConfig(t, "dpop", newDPoPKey(t))
			if _, err := other.CompleteLoginURL(ctx, l, cb); !errors.Is(err, oauth2.ErrInvalidGrant) {
				t.Errorf("CompleteLoginURL with another key: got %v, want ErrInvalidGrant", err)
			}
		})
	}
	t.Run("no key", func(t *testing.T) {
		cfg := o.dpopConfig(t, "dpop", nil)
		l, err := cfg.NewLogin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// RFC 9449 §5.2 names no error code; oidc-provider says invalid_grant.
		if _, err := cfg.CompleteLoginURL(ctx, l, o.authorize(t, l.URL)); !errors.Is(err, oauth2.ErrInvalidGrant) {
			t.Errorf("CompleteLoginURL without a DPoP key for a client that must use one: got %v, want ErrInvalidGrant", err)
		}
	})
}

// TestNodeOPDPoPClientCredentials binds a service's token to its key
// (RFC 9449 §5), with nonces required.
func TestNodeOPDPoPClientCredentials(t *testing.T) {
	o := startNodeOP(t, nodeOPOptions{RequireDPoPNonce: true})
	ctx := context.Background()
	key := newDPoPKey(t)
	cfg := o.config(t, oauth2.Config{ClientID: "service", ClientSecret: nodeSvcSecret, DPoP: key})
	s := cfg.ClientCredentials()
	start := o.log.len()
	tok, err := s.Token(ctx)
	if err != nil {
		t.Fatalf("ClientCredentials: %v", err)
	}
	if tok.TokenType != "DPoP" || tok.DPoPJKT != key.Thumbprint() {
		t.Errorf("token: type %q, bound to the key %t; want DPoP, true", tok.TokenType, tok.DPoPJKT == key.Thumbprint())
	}
	o.checkDPoPExchanges(t, o.log.since(start), "/token", true)
	in, err := s.Introspect(ctx, oauth2.HintAccessToken)
	if err != nil {
		t.Fatalf("Session.Introspect: %v", err)
	}
	if cnf, _ := in.Extra["cnf"].(map[string]any); !in.Active || cnf["jkt"] != key.Thumbprint() {
		t.Errorf("introspection: active %t, cnf %v; want active, jkt %q", in.Active, in.Extra["cnf"], key.Thumbprint())
	}
}

// TestNodeOPMixUp checks the mix-up defence (RFC 9207) with the OP's
// "iss": a callback from another OP, even with the right state, is
// refused before its code is sent anywhere, and so are callbacks whose
// "iss" was removed, repeated or changed, error responses included; the
// genuine callback then completes, its code unspent.
func TestNodeOPMixUp(t *testing.T) {
	a := startNodeOP(t, nodeOPOptions{})
	b := startNodeOP(t, nodeOPOptions{RequireDPoPNonce: true}) // another OP, with the same clients
	ctx := context.Background()
	cfg := a.basic(t)

	la, err := cfg.NewLogin(ctx, oauth2.ApprovalForce)
	if err != nil {
		t.Fatal(err)
	}
	// The other OP's login carries the same state, as an attacker who
	// saw the first one's can arrange.
	lb, err := b.basic(t).NewLogin(ctx, oauth2.ApprovalForce, oauth2.WithState(la.State))
	if err != nil {
		t.Fatal(err)
	}
	fromB := b.authorize(t, lb.URL)
	cb := a.authorize(t, la.URL)

	u, err := url.Parse(cb)
	if err != nil {
		t.Fatal(err)
	}
	with := func(iss ...string) string {
		v := u.Query()
		v.Del("iss")
		for _, s := range iss {
			v.Add("iss", s)
		}
		w := *u
		w.RawQuery = v.Encode()
		return w.String()
	}
	sentA, sentB := a.log.len(), b.log.len()
	for _, tt := range []struct {
		name     string
		callback string
		want     error
	}{
		{"callback from the other OP", fromB, oauth2.ErrIssuerMismatch},
		{"no iss", with(), oauth2.ErrMissingIssuer},
		{"the other OP's iss", with(b.issuer), oauth2.ErrIssuerMismatch},
		{"iss with a trailing slash", with(a.issuer + "/"), oauth2.ErrIssuerMismatch},
		{"iss twice", with(a.issuer, a.issuer), oauth2.ErrIssuerMismatch},
		{"iss and the other's", with(a.issuer, b.issuer), oauth2.ErrIssuerMismatch},
	} {
		if _, err := cfg.CompleteLoginURL(ctx, la, tt.callback); !errors.Is(err, tt.want) {
			t.Errorf("%s: CompleteLoginURL got %v, want %v", tt.name, err, tt.want)
		}
	}
	q := u.Query()
	if _, err := cfg.CompleteLoginCode(ctx, la, q.Get("code"), q.Get("state")); !errors.Is(err, oauth2.ErrMissingIssuer) {
		t.Errorf("CompleteLoginCode without WithIssuer: got %v, want ErrMissingIssuer", err)
	}
	if _, err := cfg.CompleteLoginCode(ctx, la, q.Get("code"), q.Get("state"), oauth2.WithIssuer(b.issuer)); !errors.Is(err, oauth2.ErrIssuerMismatch) {
		t.Errorf("CompleteLoginCode WithIssuer(the other OP): got %v, want ErrIssuerMismatch", err)
	}
	if n, m := a.log.len()-sentA, b.log.len()-sentB; n != 0 || m != 0 {
		t.Errorf("refused callbacks sent %d requests to the OP and %d to the other, want none", n, m)
	}
	tok, err := cfg.CompleteLoginCode(ctx, la, q.Get("code"), q.Get("state"), oauth2.WithIssuer(q.Get("iss")))
	if err != nil {
		t.Fatalf("CompleteLoginCode of the genuine callback after the refused ones: %v", err)
	}
	if _, err := a.verifier(cfg.ClientID).VerifyLogin(ctx, tok, la); err != nil {
		t.Errorf("VerifyLogin: %v", err)
	}

	t.Run("error response", func(t *testing.T) {
		l, err := cfg.NewLogin(ctx, oauth2.SetParam("login_hint", "deny"))
		if err != nil {
			t.Fatal(err)
		}
		cb := a.authorize(t, l.URL)
		u, err := url.Parse(cb)
		if err != nil {
			t.Fatal(err)
		}
		if q := u.Query(); q.Get("error") != "access_denied" || q.Get("iss") != a.issuer {
			t.Fatalf("error callback has error %q, iss %q; want access_denied, %q", q.Get("error"), q.Get("iss"), a.issuer)
		}
		wrong := strings.Replace(cb, "iss="+url.QueryEscape(a.issuer), "iss="+url.QueryEscape(b.issuer), 1)
		if _, err := cfg.CompleteLoginURL(ctx, l, wrong); !errors.Is(err, oauth2.ErrIssuerMismatch) {
			t.Errorf("error callback with the other OP's iss: got %v, want ErrIssuerMismatch", err)
		}
		_, err = cfg.CompleteLoginURL(ctx, l, cb)
		var e *oauth2.Error
		if !errors.As(err, &e) || e.Endpoint != "authorization" || !errors.Is(err, oauth2.ErrAccessDenied) {
			t.Errorf("error callback: got %v, want an authorization *oauth2.Error matching ErrAccessDenied", err)
		}
	})
}

// TestNodeOPDPoPDeviceFlow binds a device flow's token to the key (RFC
// 9449 §5), with nonces required: the first poll meets the nonce
// challenge.
func TestNodeOPDPoPDeviceFlow(t *testing.T) {
	o := startNodeOP(t, nodeOPOptions{RequireDPoPNonce: true})
	ctx := context.Background()
	key := newDPoPKey(t)
	cfg := o.config(t, oauth2.Config{ClientID: "device", ClientSecret: nodeDevSecret, Scopes: nodeScopes, DPoP: key})
	da, err := cfg.DeviceAuth(ctx)
	if err != nil {
		t.Fatalf("DeviceAuth: %v", err)
	}
	cfg.Sleep = func(ctx context.Context, d time.Duration) error {
		o.device(t, da.VerificationURI, da.UserCode, true)
		return ctx.Err()
	}
	start := o.log.len()
	tok, err := cfg.DeviceAccessToken(ctx, da)
	if err != nil {
		t.Fatalf("DeviceAccessToken: %v", err)
	}
	if tok.TokenType != "DPoP" || tok.DPoPJKT != key.Thumbprint() {
		t.Errorf("token: type %q, bound to the key %t; want DPoP, true", tok.TokenType, tok.DPoPJKT == key.Thumbprint())
	}
	log := o.log.since(start)
	o.checkDPoPExchanges(t, log, "/token", true)
	if log[0].Error != "use_dpop_nonce" {
		t.Errorf("first poll: %v, want the use_dpop_nonce challenge", log[0])
	}
	s := cfg.NewSession(tok)
	if _, err := o.provider.UserInfo(ctx, s, nodeUser.Subject); err != nil {
		t.Errorf("UserInfo: %v", err)
	}
	if _, err := s.Refresh(ctx); err != nil {
		t.Errorf("Session.Refresh: %v", err)
	}
}
