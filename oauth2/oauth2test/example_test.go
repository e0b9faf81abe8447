package oauth2test_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/oauthkit/oauth/oauth2"
	"github.com/oauthkit/oauth/oauth2/oauth2test"
)

// A test of a sign-in: the server plays the provider and the user's
// browser. In a test, NewServer(t) closes the server when the test ends and
// the methods that take t fail the test; an Example has no t.
func Example() {
	srv := oauth2test.NewServer(nil) // in a test: oauth2test.NewServer(t)
	defer srv.Close()

	cfg := &oauth2.Config{
		ClientID:     oauth2test.ClientID,
		ClientSecret: oauth2test.ClientSecret,
		Endpoint:     srv.Endpoint(),
		RedirectURL:  "http://127.0.0.1/callback",
	}
	login, err := cfg.NewLogin(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	callback := srv.Authorize(nil, login.URL) // the user approves
	tok, err := cfg.CompleteLoginURL(context.Background(), login, callback)
	if err != nil {
		log.Fatal(err)
	}

	resp, err := cfg.NewSession(tok).Client().Get(srv.ResourceURL())
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	var echo oauth2test.Echo
	if err := json.NewDecoder(resp.Body).Decode(&echo); err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.Status, echo.Username, echo.ClientID)
	// Output:
	// 200 OK alice basic-client
}

// The callback handler under test receives the request the browser makes
// once the user approved: here a response_mode=form_post POST.
func ExampleServer_CallbackRequest() {
	srv := oauth2test.NewServer(nil) // in a test: oauth2test.NewServer(t)
	defer srv.Close()

	cfg := &oauth2.Config{ClientID: oauth2test.PublicClientID, Endpoint: srv.Endpoint(),
		RedirectURL: "http://127.0.0.1/callback"}
	login, err := cfg.NewLogin(context.Background(), oauth2.SetAuthURLParam("response_mode", "form_post"))
	if err != nil {
		log.Fatal(err)
	}
	callback := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { // the code under test
		if _, err := cfg.CompleteLogin(r.Context(), login, r); err != nil {
			http.Error(w, "sign-in failed", http.StatusBadRequest)
			return
		}
		fmt.Fprintln(w, "signed in")
	})

	r := srv.CallbackRequest(nil, login.URL)
	w := httptest.NewRecorder()
	callback.ServeHTTP(w, r)
	fmt.Print(r.Method, " ", w.Code, " ", w.Body)
	// Output:
	// POST 200 signed in
}

// Each browser may be signed in at the server as another user.
func ExampleServer_AuthorizeAs() {
	srv := oauth2test.NewServer(nil) // in a test: oauth2test.NewServer(t)
	defer srv.Close()
	srv.Users["bob"] = "builder" // before the first request

	cfg := &oauth2.Config{ClientID: oauth2test.ClientID, ClientSecret: oauth2test.ClientSecret,
		Endpoint: srv.Endpoint(), RedirectURL: "http://127.0.0.1/callback"}
	ctx := context.Background()
	for _, user := range []string{"alice", "bob"} {
		login, err := cfg.NewLogin(context.Background())
		if err != nil {
			log.Fatal(err)
		}
		tok, err := cfg.CompleteLoginURL(ctx, login, srv.AuthorizeAs(nil, login.URL, user))
		if err != nil {
			log.Fatal(err)
		}
		info, err := cfg.IntrospectToken(ctx, tok.AccessToken, oauth2.HintAccessToken)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(info.Username)
	}
	// Output:
	// alice
	// bob
}

// The device flow: the user enters the code at the verification URI;
// ApproveDevice does it for them. Until then polls get
// authorization_pending (srv.DeviceScript says what they get).
func Example_deviceFlow() {
	srv := oauth2test.NewServer(nil) // in a test: oauth2test.NewServer(t)
	defer srv.Close()
	srv.DeviceInterval = 1 // seconds between polls; the default is 5

	cfg := &oauth2.Config{ClientID: oauth2test.PublicClientID, Endpoint: srv.Endpoint()}
	ctx := context.Background()
	da, err := cfg.DeviceAuth(ctx)
	if err != nil {
		log.Fatal(err)
	}
	srv.ApproveDevice(da.UserCode) // the user enters the code
	tok, err := cfg.DeviceAccessToken(ctx, da)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(tok.Valid(), srv.TokensIssued())
	// Output:
	// true 1
}

// The server misbehaves as real providers do, and counts what it served:
// here GitHub's form-encoded token response, and a session that refreshes
// once past the expiry of a token minted directly.
func Example_quirksAndCounters() {
	srv := oauth2test.NewServer(nil) // in a test: oauth2test.NewServer(t)
	defer srv.Close()
	srv.FormEncodedTokenResponse = true // unless the request has Accept: application/json
	access, refresh := srv.IssueToken(oauth2test.ClientID, -time.Minute)

	cfg := &oauth2.Config{ClientID: oauth2test.ClientID, ClientSecret: oauth2test.ClientSecret, Endpoint: srv.Endpoint()}
	s := cfg.NewSession(&oauth2.Token{AccessToken: access, RefreshToken: refresh, Expiry: time.Now().Add(-time.Minute)})
	resp, err := s.Client().Get(srv.ResourceURL())
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	fmt.Println(resp.Status, "refreshes:", srv.Refreshes())
	// Output:
	// 200 OK refreshes: 1
}
