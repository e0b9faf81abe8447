package oauth2_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/oauth2test"
	"github.com/oauthkit/oauth/signer/jose"
)

// audRecorder records, by request URL without query, the "aud" of the client assertion
// each request carries, read with plain code: the form body parsed by
// net/url, the JWT's payload base64url-decoded and unmarshalled.
type audRecorder struct {
	base http.RoundTripper
	mu   sync.Mutex
	aud  map[string][]string
}

func (r *audRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil && req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(body)
		if err != nil {
			return nil, err
		}
		form, err := url.ParseQuery(string(b))
		if err != nil {
			return nil, err
		}
		if a := form.Get("client_assertion"); a != "" {
			parts := strings.Split(a, ".")
			if len(parts) != 3 {
				return nil, errors.New("assertion is not a compact JWS")
			}
			payload, err := base64.RawURLEncoding.DecodeString(parts[1])
			if err != nil {
				return nil, err
			}
			var claims struct {
				Aud string `json:"aud"`
			}
			if err := json.Unmarshal(payload, &claims); err != nil {
				return nil, err
			}
			r.mu.Lock()
			u := req.URL.Scheme + "://" + req.URL.Host + req.URL.Path
			r.aud[u] = append(r.aud[u], claims.Aud)
			r.mu.Unlock()
		}
	}
	return r.base.RoundTrip(req)
}

// TestAssertionAudience checks the "aud" of the client assertions sent to
// every endpoint that authenticates the client: the endpoint's own URL by
// default (RFC 7523 §3), the issuer identifier when
// Endpoint.AssertionAudience says so, as the AT Protocol, FAPI 2.0 and
// draft-ietf-oauth-rfc7523bis ask; and that a server that accepts only
// the issuer refuses the default with invalid_client.
func TestAssertionAudience(t *testing.T) {
	ctx := context.Background()
	key, err := jose.NewECDSASigner(jose.ES256, oauth2test.ClientKey())
	if err != nil {
		t.Fatal(err)
	}
	for _, issuerAud := range []bool{false, true} {
		name := "endpoint URL"
		if issuerAud {
			name = "issuer"
		}
		t.Run(name, func(t *testing.T) {
			srv := oauth2test.NewServer(t)
			srv.RequireIssuerAudience = issuerAud
			rec := &audRecorder{base: http.DefaultTransport, aud: map[string][]string{}}
			cfg := &oauth2.Config{ClientID: oauth2test.KeyClientID, AuthMethod: oauth2.AuthPrivateKeyJWT, Signer: key,
				Endpoint: srv.Endpoint(), RedirectURL: "http://127.0.0.1/cb", HTTPClient: &http.Client{Transport: rec}}
			if issuerAud {
				cfg.Endpoint.AssertionAudience = cfg.Endpoint.Issuer
			}
			login, err := cfg.NewLogin(ctx, oauth2.PushedAuthorization)
			if err != nil {
				t.Fatal(err)
			}
			tok, err := cfg.CompleteLoginURL(ctx, login, srv.Authorize(t, login.URL))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := cfg.IntrospectToken(ctx, tok.AccessToken, oauth2.HintAccessToken); err != nil {
				t.Fatal(err)
			}
			if err := cfg.RevokeToken(ctx, tok.AccessToken, oauth2.HintAccessToken); err != nil {
				t.Fatal(err)
			}
			if _, err := cfg.DeviceAuth(ctx); err != nil {
				t.Fatal(err)
			}
			ep := srv.Endpoint()
			want := map[string][]string{}
			for _, u := range []string{ep.PushedAuthURL, ep.TokenURL, ep.IntrospectionURL, ep.RevocationURL, ep.DeviceAuthURL} {
				if issuerAud {
					want[u] = []string{srv.IssuerURL()}
				} else {
					want[u] = []string{u}
				}
			}
			if diff := cmp.Diff(want, rec.aud); diff != "" {
				t.Errorf("assertion aud by endpoint mismatch (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("server wants the issuer, client sends the endpoint URL", func(t *testing.T) {
		srv := oauth2test.NewServer(t)
		srv.RequireIssuerAudience = true
		cfg := &oauth2.Config{ClientID: oauth2test.KeyClientID, AuthMethod: oauth2.AuthPrivateKeyJWT, Signer: key,
			Endpoint: srv.Endpoint(), RedirectURL: "http://127.0.0.1/cb"}
		_, err := cfg.NewLogin(ctx, oauth2.PushedAuthorization)
		if !errors.Is(err, oauth2.ErrInvalidClient) {
			t.Errorf("NewLogin() error = %v, want ErrInvalidClient", err)
		}
	})
}
