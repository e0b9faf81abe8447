package oauth1_test

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/oauthkit/oauth/oauth1"
	"github.com/oauthkit/oauth/oauth1/oauth1test"
	"github.com/oauthkit/oauth/signer"
)

// RSA-SHA1 with a private key read from PEM, as Jira's application links
// use it: the consumer secret is unused, and the provider verifies with the
// public key registered for the consumer.
func ExampleRSASHA1() {
	srv := oauth1test.NewServer(nil) // setup (in a test: NewServer(t))
	defer srv.Close()
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(oauth1test.RSAKey())}) // setup: os.ReadFile("jira_privatekey.pem")

	key, err := signer.ParseRSAPrivateKeyPEM(pemBytes) // PKCS #1 or PKCS #8
	if err != nil {
		log.Fatal(err)
	}
	cfg := &oauth1.Config{
		ConsumerKey: "rsa-sha1",
		CallbackURL: "oob",
		Endpoint:    srv.Endpoint(), // in production: oauth1.Jira("https://jira.example.com")
		Method:      oauth1.RSASHA1(key),
	}
	ctx := context.Background()
	requestToken, err := cfg.RequestToken(ctx)
	if err != nil {
		log.Fatal(err)
	}
	authURL, err := cfg.AuthorizationURL(requestToken, nil)
	if err != nil {
		log.Fatal(err)
	}
	verifier := srv.AuthorizePIN(nil, authURL) // setup: the user approves at authURL
	accessToken, err := cfg.AccessToken(ctx, requestToken, verifier)
	if err != nil {
		log.Fatal(err)
	}
	resp, err := cfg.Client(accessToken).Get(srv.ResourceURL()) // in production: .../rest/api/2/myself
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	var echo oauth1test.Echo // what the provider verified
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&echo); err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.Status, echo.Signature)
	// Output:
	// 200 OK RSA-SHA1
}

// NetSuite's token-based authentication: HMAC-SHA256 and the account ID as
// the realm, both set by the preset, with a token made in NetSuite's UI.
func ExampleNetSuite() {
	srv := oauth1test.NewServer(nil) // setup
	defer srv.Close()
	token, secret := srv.IssueAccessToken("hmac-sha256") // setup: the token and secret NetSuite showed

	ep := oauth1.NetSuite("1234567-sb1")
	fmt.Println("realm:", ep.Realm, "method:", ep.Method.Name())
	cfg := &oauth1.Config{ConsumerKey: "hmac-sha256", ConsumerSecret: "hmac-sha256-secret", Endpoint: ep}
	client := cfg.Client(&oauth1.Token{Token: token, Secret: secret})
	resp, err := client.Post(srv.ResourceURL(), // in production: https://1234567-sb1.restlets.api.netsuite.com/app/site/hosting/restlet.nl?script=...
		"application/json", strings.NewReader(`{"id":42}`))
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	var echo oauth1test.Echo
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&echo); err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.Status, echo.Signature, "realm", echo.Realm)
	// Output:
	// realm: 1234567_SB1 method: HMAC-SHA256
	// 200 OK HMAC-SHA256 realm 1234567_SB1
}

// A provider reports why it refused a request with the oauth_problem of
// the VerifyError (OAuth Problem Reporting), which the client's
// CheckResponse reads back into the same sentinel. Here a signed request is
// sent twice: the nonce store refuses the replay.
func ExampleVerifier_problemReporting() {
	v := &oauth1.Verifier{
		LookupConsumer: func(ctx context.Context, key string) (oauth1.Consumer, error) {
			if key != "app" {
				return oauth1.Consumer{}, oauth1.ErrUnknownConsumer
			}
			return oauth1.Consumer{Secret: "app-secret"}, nil
		},
		Nonces: oauth1.NewMemoryNonceStore(oauth1.DefaultWindow),
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, err := v.Verify(r.Context(), r)
		var verr *oauth1.VerifyError
		if errors.As(err, &verr) {
			status := http.StatusUnauthorized
			switch {
			case errors.Is(err, oauth1.ErrBadRequest), errors.Is(err, oauth1.ErrMissingParameter):
				status = http.StatusBadRequest
			case errors.Is(err, oauth1.ErrNonceStoreFull):
				status = http.StatusServiceUnavailable
			}
			w.Header().Set("Content-Type", "application/x-www-form-urlencoded")
			w.WriteHeader(status)
			fmt.Fprint(w, url.Values{"oauth_problem": {verr.Problem}}.Encode())
			return
		}
		if err != nil { // a lookup's or the nonce store's own failure
			http.Error(w, "verification unavailable", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintf(w, "hello %s", got.ConsumerKey)
	}))
	defer srv.Close()

	cfg := &oauth1.Config{ConsumerKey: "app", ConsumerSecret: "app-secret"}
	req, err := http.NewRequest("GET", srv.URL+"/api", nil)
	if err != nil {
		log.Fatal(err)
	}
	if err := cfg.Sign(req, nil); err != nil {
		log.Fatal(err)
	}
	for i := 0; i < 2; i++ { // the same signed request twice
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			log.Fatal(err)
		}
		err = oauth1.CheckResponse(resp)
		resp.Body.Close()
		fmt.Println(resp.StatusCode, err, errors.Is(err, oauth1.ErrReplayedNonce))
	}
	// Output:
	// 200 <nil> false
	// 401 oauth1: resource endpoint: oauth_problem="nonce_used" (http 401) true
}
