package oauth2_test

// Adversarial tests of session 20's changes (review).

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/oauthkit/oauth/oauth2"
)

// With InQuery, net/http's Client quotes the URL of the request a
// redirect answers (resp.Request, the one the Transport sent, token in
// its query) in the error of a redirect it cannot follow for another
// reason than the Location: here the body of a 307, which it must send
// again, cannot be had again (GetBody fails). The token must not be in
// that error.
func TestQueryTokenNotInRedirectGetBodyError(t *testing.T) {
	for _, status := range []int{http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			base := reply(status, http.Header{"Location": {"/next"}}, "")
			s := (&oauth2.Config{Placement: oauth2.InQuery}).NewSession(&oauth2.Token{AccessToken: "AT-SECRET"})
			c := oauth2.NewClient(s, &http.Client{Transport: base})
			req, err := http.NewRequest(http.MethodPost, "https://api.example.com/things?page=2", strings.NewReader("x=1"))
			if err != nil {
				t.Fatal(err)
			}
			errReopen := errors.New("cannot reopen the body")
			req.GetBody = func() (io.ReadCloser, error) { return nil, errReopen }
			resp, err := c.Do(req)
			if err == nil {
				resp.Body.Close()
				t.Fatal("Do() succeeded, want GetBody's error")
			}
			if !errors.Is(err, errReopen) {
				t.Errorf("Do() error = %v, want GetBody's", err)
			}
			checkNoCredential(t, err, "AT-SECRET")
		})
	}
}
