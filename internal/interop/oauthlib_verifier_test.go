package interop

// oauthlib's Client signs requests (testdata/oauthlib/client.py) and
// oauthkit's oauth1.Verifier checks them.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/oauthkit/oauth/oauth1"
)

var sentinels = []struct {
	name string
	err  error
}{
	{"ErrReplayedNonce", oauth1.ErrReplayedNonce},
	{"ErrStaleTimestamp", oauth1.ErrStaleTimestamp},
	{"ErrInvalidSignature", oauth1.ErrInvalidSignature},
	{"ErrUnsupportedMethod", oauth1.ErrUnsupportedMethod},
	{"ErrUnknownConsumer", oauth1.ErrUnknownConsumer},
	{"ErrUnknownToken", oauth1.ErrUnknownToken},
	{"ErrMissingParameter", oauth1.ErrMissingParameter},
	{"ErrBadRequest", oauth1.ErrBadRequest},
}

// verifierResult is what verifierHandler answers: what oauth1.Verifier
// made of a request.
type verifierResult struct {
	OK            bool        `json:"ok"`
	Err           string      `json:"err,omitempty"`
	Problem       string      `json:"problem,omitempty"`
	Sentinel      string      `json:"sentinel,omitempty"`
	OurBaseString string      `json:"our_base_string,omitempty"`
	Params        [][2]string `json:"params,omitempty"`
	Realm         string      `json:"realm"`
	Callback      string      `json:"callback"`
	Verifier      string      `json:"verifier"`
	Placement     string      `json:"placement"`
	Method        string      `json:"method"`
}

// verifierHandler checks every request with an oauth1.Verifier that knows
// the test consumers and access token, and answers with a verifierResult.
func verifierHandler(t testing.TB) http.Handler {
	k := testKey(t)
	v := &oauth1.Verifier{
		LookupConsumer: func(_ context.Context, ck string) (oauth1.Consumer, error) {
			switch ck {
			case hmacKey:
				return oauth1.Consumer{Secret: hmacSecret}, nil
			case rsaKey:
				return oauth1.Consumer{PublicKey: &k.PublicKey}, nil
			}
			return oauth1.Consumer{}, oauth1.ErrUnknownConsumer
		},
		LookupToken: func(_ context.Context, ck, tok string) (string, error) {
			if tok == accessToken {
				return accessSecret, nil
			}
			return "", oauth1.ErrUnknownToken
		},
		Nonces: oauth1.NewMemoryNonceStore(0),
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var out verifierResult
		vd, err := v.Verify(r.Context(), r)
		if err != nil {
			out.Err = err.Error()
			var ve *oauth1.VerifyError
			if errors.As(err, &ve) {
				out.Problem = fmt.Sprint(ve.Problem)
			}
			for _, s := range sentinels {
				if errors.Is(err, s.err) {
					out.Sentinel = s.name
					break
				}
			}
			if bs, berr := oauth1.SignatureBaseString(r); berr == nil {
				out.OurBaseString = bs
			}
		} else {
			out.OK = true
			for k, vs := range vd.Params {
				for _, x := range vs {
					out.Params = append(out.Params, [2]string{k, x})
				}
			}
			out.Realm = vd.Realm
			out.Callback = vd.Callback
			out.Verifier = vd.Verifier
			out.Placement = vd.Placement.String()
			out.Method = vd.Method
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(out)
	})
}

// signRequest is one request for client.py to sign with oauthlib and send
// (see its doc string).
type signRequest struct {
	Method      string         `json:"method"`
	Placement   string         `json:"placement"`
	HTTPMethod  string         `json:"http_method"`
	URI         string         `json:"uri"`
	Body        *string        `json:"body"`
	ContentType string         `json:"content_type,omitempty"`
	Client      map[string]any `json:"client"`
	Tamper      bool           `json:"tamper,omitempty"`
	Replay      bool           `json:"replay,omitempty"`
}

type signResult struct {
	SignedURI      string            `json:"signed_uri"`
	SignedHeaders  map[string]string `json:"signed_headers"`
	SignedBody     *string           `json:"signed_body"`
	ExpectedParams [][2]string       `json:"expected_params"`
	First          *verifierResult   `json:"first"`
	Verifier       *verifierResult   `json:"verifier"`
	Error          string            `json:"error"`
}

// signer is a running client.py.
type signer struct{ p *proc }

func (s signer) do(r signRequest) (*signResult, error) {
	b, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	if _, err := s.p.stdin.Write(append(b, '\n')); err != nil {
		return nil, fmt.Errorf("client.py: %w", err)
	}
	line, err := s.p.stdout.ReadBytes('\n')
	if err != nil {
		return nil, fmt.Errorf("client.py: %w", err)
	}
	var res signResult
	if err := json.Unmarshal(line, &res); err != nil {
		return nil, fmt.Errorf("client.py wrote %q: %w", line, err)
	}
	return &res, nil
}

const form = "application/x-www-form-urlencoded"

// verifyCase is a request oauthlib signs. Its client map holds keyword
// arguments of oauthlib's Client besides the credentials; notoken leaves
// out the access token.
type verifyCase struct {
	name        string
	httpMethod  string
	path        string
	body        string
	hasBody     bool
	contentType string
	host        string // Host, "127.0.0.1" when empty
	client      map[string]any
	notoken     bool
	placements  []string // only these placements (nil: all)
}

func verifyCases() []verifyCase {
	uniQ := strings.Join([]string{
		"k%C3%A9+y=v%C3%A4lue%2F%3F%26%3D%2B+%E2%9C%93", "k%C3%A9+y=", "a%2Bb=c+d", "~-._=%21%2A%27%28%29",
		"%25=%2525", "rep=2", "rep=1", "rep=2", "empty=", "%E6%97%A5%E6%9C%AC=%F0%9F%98%80",
	}, "&") // urllib.parse.urlencode of these pairs, as oauthlib's users write it
	postForm := "z=1&a=2&a=1&a=&%E2%82%AC=%E2%82%AC&sp=a+b&x%2By=%2B&amp=%26&sp2=a%20b&nokey"
	return []verifyCase{
		{name: "GET no params", httpMethod: "GET", path: "/v/plain"},
		{name: "GET repeated+empty+non-ASCII+reserved", httpMethod: "GET", path: "/v/q?" + uniQ + "&novalue"},
		{name: "GET raw sub-delims in query", httpMethod: "GET", path: "/v/q?q=a:b/c?d@e!f$g'h(i)j*k,l&x=~&y=%7E"},
		{name: "GET path escapes", httpMethod: "GET", path: "/v/a%20b/c%2Fd/%E2%82%AC/x~y/a+b/%7E/@:!$,;=?z=1"},
		{name: "GET uppercase host", httpMethod: "GET", path: "/v/host?h=1", host: "LOCALHOST"},
		{name: "DELETE with query", httpMethod: "DELETE", path: "/v/item?id=7&id=8"},
		// A string: oauthlib's Client.sign turns a list of pairs into a dict (Q5).
		{name: "POST form + query", httpMethod: "POST", path: "/v/form?q=1&a=3", body: postForm, hasBody: true, contentType: form},
		{name: "POST form non-ASCII", httpMethod: "POST", path: "/v/form", body: uniQ, hasBody: true, contentType: form},
		{name: "PUT form", httpMethod: "PUT", path: "/v/form", body: "a=1&b=", hasBody: true, contentType: form},
		{name: "POST JSON (body unsigned)", httpMethod: "POST", path: "/v/json?q=1", body: `{"a":"b=c&d"}`, hasBody: true, contentType: "application/json",
			placements: []string{"header", "query"}},
		{name: "realm photos", httpMethod: "GET", path: "/v/realm?r=1", client: map[string]any{"realm": "photos"}},
		{name: "realm with comma, =, non-ASCII", httpMethod: "GET", path: "/v/realm?r=1", client: map[string]any{"realm": "r\u00e9alm, x=y"}},
		{name: "two-legged (no token)", httpMethod: "GET", path: "/v/2l?x=1", notoken: true},
		{name: "callback oob (no token)", httpMethod: "POST", path: "/v/request_token", notoken: true,
			client: map[string]any{"callback_uri": "oob"}},
		{name: "callback URL without escapes (no token)", httpMethod: "POST", path: "/v/request_token", notoken: true,
			client: map[string]any{"callback_uri": "http://127.0.0.1:9/cb?x=1&y=2"}},
		{name: "callback URL with %20 and %E2%9C%93 (no token)", httpMethod: "POST", path: "/v/request_token", notoken: true,
			client: map[string]any{"callback_uri": "http://127.0.0.1:9/cb?x=1&y=a%20b&z=%E2%9C%93"}},
		{name: "verifier", httpMethod: "POST", path: "/v/access_token", client: map[string]any{"verifier": "v3r1f13r-_x"}},
	}
}

var oauthlibMethods = []string{"HMAC-SHA1", "HMAC-SHA256", "HMAC-SHA512", "RSA-SHA1", "RSA-SHA256", "RSA-SHA512", "PLAINTEXT"}

var oauthlibPlacements = []string{"header", "query", "form body"}

// verifyRun is one request oauthlib signs and sends to the Verifier, and
// what the Verifier must make of it: a sentinel, or acceptance with the
// parameters, realm, callback and verifier oauthlib sent.
type verifyRun struct {
	method, placement string
	c                 verifyCase
	origin            string // scheme://host:port the request goes to; "" for the test's TLS server
	timestamp         string // oauth_timestamp, when not now
	label             string // added to the case's name
	tamper, replay    bool
	wantSentinel      string
}

func (run verifyRun) request(tlsBase string) signRequest {
	c := run.c
	origin := run.origin
	if origin == "" {
		origin = tlsBase
		if c.host != "" {
			origin = strings.Replace(origin, "127.0.0.1", c.host, 1)
		}
	}
	kw := map[string]any{}
	for k, v := range c.client {
		kw[k] = v
	}
	if strings.HasPrefix(run.method, "RSA") {
		kw["client_key"] = rsaKey
	} else {
		kw["client_key"] = hmacKey
		kw["client_secret"] = hmacSecret
	}
	if !c.notoken {
		kw["resource_owner_key"] = accessToken
		kw["resource_owner_secret"] = accessSecret
	}
	if run.timestamp != "" {
		kw["timestamp"] = run.timestamp
	}
	r := signRequest{Method: run.method, Placement: run.placement, HTTPMethod: c.httpMethod,
		URI: origin + c.path, ContentType: c.contentType, Client: kw, Tamper: run.tamper, Replay: run.replay}
	if c.hasBody {
		b := c.body
		r.Body = &b
	}
	return r
}

// check judges what the Verifier made of the request.
func (run verifyRun) check(res *signResult) (string, error) {
	if res.Error != "" {
		return "", errors.New(res.Error)
	}
	sent := fmt.Sprintf("oauthlib sent: %s headers %q body %s", res.SignedURI, res.SignedHeaders, derefBody(res.SignedBody))
	got := res.Verifier
	detail := fmt.Sprintf("%s\nVerifier: %+v", sent, *got)
	if run.replay && (res.First == nil || !res.First.OK) {
		return detail, fmt.Errorf("first request refused: %+v", res.First)
	}
	if run.wantSentinel != "" {
		if got.OK || got.Sentinel != run.wantSentinel {
			return detail, &verifierError{sentinel: got.Sentinel, msg: fmt.Sprintf("ok=%t err=%q, want %s", got.OK, got.Err, run.wantSentinel)}
		}
		return detail, nil
	}
	if !got.OK {
		return detail, &verifierError{sentinel: got.Sentinel, msg: fmt.Sprintf("refused: %s (problem %s)\nour base string: %s", got.Err, got.Problem, got.OurBaseString)}
	}
	var problems []string
	if diff := cmp.Diff(sortPairs(res.ExpectedParams), sortPairs(got.Params)); diff != "" {
		problems = append(problems, "VerifiedRequest.Params differ from urllib.parse.parse_qsl of the signed query and body (-parse_qsl +Verifier):\n"+diff)
	}
	c := run.c
	if r, _ := c.client["realm"].(string); r != "" && run.placement == "header" && got.Realm != r {
		problems = append(problems, fmt.Sprintf("Realm = %q, want %q", got.Realm, r))
	}
	if cb, _ := c.client["callback_uri"].(string); cb != "" && got.Callback != cb {
		problems = append(problems, fmt.Sprintf("Callback = %q, want %q", got.Callback, cb))
	}
	if v, _ := c.client["verifier"].(string); v != "" && got.Verifier != v {
		problems = append(problems, fmt.Sprintf("Verifier = %q, want %q", got.Verifier, v))
	}
	if got.Placement != run.placement {
		problems = append(problems, fmt.Sprintf("Placement = %q, want %q", got.Placement, run.placement))
	}
	if got.Method != run.method {
		problems = append(problems, fmt.Sprintf("Method = %q, want %q", got.Method, run.method))
	}
	if len(problems) > 0 {
		return detail, errors.New(strings.Join(problems, "\n"))
	}
	return detail, nil
}

func derefBody(s *string) string {
	if s == nil {
		return "<none>"
	}
	return strconv.Quote(*s)
}

// quirk is the documented oauthlib defect the run meets, or nil.
func (run verifyRun) quirk() *quirk {
	if run.placement != "header" && run.method != "PLAINTEXT" {
		if cb, _ := run.c.client["callback_uri"].(string); strings.Contains(cb, "%") {
			return &q1
		}
	}
	return nil
}

// TestOAuthlibClient has oauthlib's Client sign requests in every
// signature method and placement, sends them with Python's http.client and
// checks them with oauth1.Verifier: that it accepts them and reads the
// parameters, realm, callback and verifier oauthlib sent, and that it
// refuses a replayed nonce, stale and future timestamps and a tampered
// request with the right sentinel, and PLAINTEXT over plain http. Each
// method runs in parallel with its own client.py.
func TestOAuthlibClient(t *testing.T) {
	python(t)
	t.Parallel()
	h := verifierHandler(t)
	tlsSrv := httptest.NewTLSServer(h)
	t.Cleanup(tlsSrv.Close)
	plainSrv := httptest.NewServer(h)
	t.Cleanup(plainSrv.Close)
	cases := verifyCases()
	for _, m := range oauthlibMethods {
		m := m
		t.Run(m, func(t *testing.T) {
			t.Parallel()
			s := signer{script(t, "client.py")}
			for _, pl := range oauthlibPlacements {
				pl := pl
				t.Run(pl, func(t *testing.T) {
					var runs []verifyRun
					for _, c := range cases {
						if pl == "form body" && c.contentType != form {
							continue // oauthlib signs in the body only a form body
						}
						if c.placements != nil && !contains(c.placements, pl) {
							continue
						}
						runs = append(runs, verifyRun{method: m, placement: pl, c: c})
					}
					base := cases[0]
					if pl == "form body" {
						base = cases[8] // PUT form
					}
					now := time.Now().Unix()
					runs = append(runs,
						verifyRun{method: m, placement: pl, c: base, label: "replayed", replay: true, wantSentinel: "ErrReplayedNonce"},
						verifyRun{method: m, placement: pl, c: base, label: "timestamp an hour old", timestamp: strconv.FormatInt(now-3600, 10), wantSentinel: "ErrStaleTimestamp"},
						verifyRun{method: m, placement: pl, c: base, label: "timestamp an hour ahead", timestamp: strconv.FormatInt(now+3600, 10), wantSentinel: "ErrStaleTimestamp"},
						verifyRun{method: m, placement: pl, c: base, label: "tampered", tamper: true, wantSentinel: "ErrInvalidSignature"},
					)
					plain := verifyRun{method: m, placement: pl, c: base, label: "plain http", origin: plainSrv.URL}
					if m == "PLAINTEXT" {
						plain.wantSentinel = "ErrUnsupportedMethod"
					}
					runs = append(runs, plain)
					for _, run := range runs {
						name := run.c.name
						if run.label != "" {
							name += " " + run.label
						}
						if run.wantSentinel != "" {
							name += " (want " + run.wantSentinel + ")"
						}
						run := run
						t.Run(name, func(t *testing.T) {
							res, err := s.do(run.request(tlsSrv.URL))
							if err != nil {
								t.Fatal(err)
							}
							detail, err := run.check(res)
							judge(t, run.quirk(), err, detail)
						})
					}
				})
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestOAuthlibClientPort443 has oauthlib sign requests for
// https://127.0.0.1 and https://127.0.0.1:443 and checks them with
// oauth1.Verifier behind a TLS server on port 443: the base string URI
// leaves the default port out either way (RFC 5849 §3.4.1.2). It needs
// root to bind port 443 and is skipped otherwise.
func TestOAuthlibClientPort443(t *testing.T) {
	python(t)
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("port 443 cases not run: binding 127.0.0.1:443 needs root")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:443")
	if err != nil {
		t.Skipf("port 443 cases not run: %v", err)
	}
	srv := httptest.NewUnstartedServer(verifierHandler(t))
	srv.Listener.Close()
	srv.Listener = ln
	srv.StartTLS()
	t.Cleanup(srv.Close)
	s := signer{script(t, "client.py")}
	for _, m := range oauthlibMethods {
		for _, origin := range []string{"https://127.0.0.1", "https://127.0.0.1:443"} {
			for _, pl := range oauthlibPlacements {
				run := verifyRun{method: m, placement: pl, origin: origin,
					c: verifyCase{name: "POST form", httpMethod: "POST", path: "/v/p443?x=1", body: "y=2", hasBody: true, contentType: form}}
				u, _ := url.Parse(origin)
				t.Run(fmt.Sprintf("%s %s %s", m, pl, u.Host), func(t *testing.T) {
					res, err := s.do(run.request(""))
					if err != nil {
						t.Fatal(err)
					}
					detail, err := run.check(res)
					judge(t, nil, err, detail)
				})
			}
		}
	}
}
