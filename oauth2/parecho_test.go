package oauth2_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/dpop"
)

// TestPushedLoginErrorEchoes checks that a PAR endpoint's error that
// echoes what the request carried, the signed request object (RFC 9101),
// the client assertion (RFC 7523) or the DPoP proof (RFC 9449), keeps
// none of them in the *Error: not in Error(), ErrorDescription, Body nor
// any fmt verb; and the token endpoint's, which gets a proof too.
func TestPushedLoginErrorEchoes(t *testing.T) {
	key, err := dpop.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu   sync.Mutex        // the server's goroutine writes sent, the test reads it
		sent map[string]string // what the last request carried
	)
	echo := func(w http.ResponseWriter, contentType, body string) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, body)
	}
	tests := []struct {
		name    string
		token   bool // at the token endpoint, not the PAR endpoint
		respond func(w http.ResponseWriter)
	}{
		{"JSON description", false, func(w http.ResponseWriter) {
			echo(w, "application/json", fmt.Sprintf(`{"error":"invalid_request_object","error_description":"refused %s with %s and %s"}`,
				sent["request"], sent["assertion"], sent["proof"]))
		}},
		{"JSON description, one each", false, func(w http.ResponseWriter) {
			echo(w, "application/json", fmt.Sprintf(`{"error":"invalid_request","error_description":"request=%s"}`, sent["request"]))
		}},
		{"text body", false, func(w http.ResponseWriter) {
			echo(w, "text/plain", fmt.Sprintf("bad: request=%s dpop=%s", sent["request"], sent["proof"]))
		}},
		{"text body, proof", false, func(w http.ResponseWriter) {
			echo(w, "text/plain", "bad proof "+sent["proof"])
		}},
		{"token endpoint, proof", true, func(w http.ResponseWriter) {
			echo(w, "application/json", `{"error":"invalid_dpop_proof","error_description":"bad `+sent["proof"]+`"}`)
		}},
		{"token endpoint, text body", true, func(w http.ResponseWriter) {
			echo(w, "text/plain", "bad proof "+sent["proof"])
		}},
		{"HTML body, form echoed", false, func(w http.ResponseWriter) {
			echo(w, "text/html", "<p>bad: request="+sent["request"]+"&amp;x="+sent["assertion"]+"</p>")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if err := r.ParseForm(); err != nil {
					t.Error(err)
				}
				mu.Lock()
				defer mu.Unlock()
				sent = map[string]string{"request": r.PostForm.Get("request"), "assertion": r.PostForm.Get("client_assertion"),
					"proof": r.Header.Get("DPoP")}
				tt.respond(w)
			}))
			defer srv.Close()
			cfg := &oauth2.Config{ClientID: "c", AuthMethod: oauth2.AuthPrivateKeyJWT, Signer: keySigner(t), DPoP: key,
				RedirectURL: "http://127.0.0.1/cb",
				Endpoint:    oauth2.Endpoint{AuthURL: srv.URL + "/authorize", PushedAuthURL: srv.URL + "/par", Issuer: srv.URL}}
			var err error
			if tt.token {
				cfg.Endpoint.TokenURL = srv.URL + "/token"
				_, err = cfg.Exchange(context.Background(), "code-1")
			} else {
				_, err = cfg.NewLogin(context.Background(), oauth2.PushedAuthorization, oauth2.SignedRequestObject)
			}
			mu.Lock()
			defer mu.Unlock()
			if tt.token {
				delete(sent, "request") // a token request has none
			}
			var e *oauth2.Error
			if !errors.As(err, &e) || e.StatusCode != http.StatusBadRequest {
				t.Fatalf("error = %v, want an *Error with status 400", err)
			}
			for name, v := range sent {
				if v == "" {
					t.Fatalf("the request carried no %s", name)
				}
				for _, where := range []struct{ what, text string }{
					{"Error()", err.Error()}, {"ErrorDescription", e.ErrorDescription}, {"Body", string(e.Body)},
					{"%+v", fmt.Sprintf("%+v", err)}, {"%#v", fmt.Sprintf("%#v", e)},
				} {
					if strings.Contains(where.text, v) {
						t.Errorf("%s holds the %s: %s", where.what, name, where.text)
					}
				}
			}
		})
	}
}
