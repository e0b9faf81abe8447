package oauth2

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestDPoPTarget checks the origin and htu of request URLs (RFC 9449
// §4.2: the target URI without query and fragment). The first four are
// RFC 3986 §6.2.3's example of URIs equivalent by scheme-based
// normalization, which must give one htu.
func TestDPoPTarget(t *testing.T) {
	tests := []struct {
		url, origin, htu string
	}{
		{"http://example.com", "http://example.com", "http://example.com/"},
		{"http://example.com/", "http://example.com", "http://example.com/"},
		{"http://example.com:/", "http://example.com", "http://example.com/"},
		{"http://example.com:80/", "http://example.com", "http://example.com/"},
		{"HTTPS://Server.Example.COM:443/token?x=1#frag", "https://server.example.com", "https://server.example.com/token"},
		{"https://server.example.com:8443/a/b/", "https://server.example.com:8443", "https://server.example.com:8443/a/b/"},
		{"https://server.example.com:80/x", "https://server.example.com:80", "https://server.example.com:80/x"},
		{"http://127.0.0.1:8080/oauth2/resource?access_token=x", "http://127.0.0.1:8080", "http://127.0.0.1:8080/oauth2/resource"},
		{"http://[::1]:80/x", "http://[::1]", "http://[::1]/x"},
		{"https://[::1]/x", "https://[::1]", "https://[::1]/x"},
		{"https://api.example.com/a%2Fb%20c", "https://api.example.com", "https://api.example.com/a%2Fb%20c"},
		// Host names that are not ASCII, in the form net/http sends: the
		// Punycode of RFC 3492 §7.1 sample (B) and of "bücher" (checked
		// against Python's punycode codec), and a port kept apart.
		{"https://他们为什么不说中文.example/x", "https://xn--ihqwcrb4cv8a8dqg056pqjye.example", "https://xn--ihqwcrb4cv8a8dqg056pqjye.example/x"},
		{"https://API.Bücher.example:8443/x", "https://api.xn--bcher-kva.example:8443", "https://api.xn--bcher-kva.example:8443/x"},
		{"https://m%C3%BCnchen.example:443/", "https://xn--mnchen-3ya.example", "https://xn--mnchen-3ya.example/"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			u, err := url.Parse(tt.url)
			if err != nil {
				t.Fatal(err)
			}
			origin, htu := dpopTarget(u)
			if origin != tt.origin || htu != tt.htu {
				t.Errorf("dpopTarget(%q) = %q, %q; want %q, %q", tt.url, origin, htu, tt.origin, tt.htu)
			}
		})
	}
}

// TestValidNonce checks nonces against RFC 9449 §8.1's grammar, 1*NQCHAR
// with NQCHAR = %x21 / %x23-5B / %x5D-7E.
func TestValidNonce(t *testing.T) {
	tests := []struct {
		nonce string
		want  bool
	}{
		{"eyJ7S_zG.eyJH0-Z.HX4w-7v", true}, // RFC 9449 Figure 20
		{"!#[]~", true},
		{"", false},
		{"a b", false},
		{`a"b`, false},
		{`a\b`, false},
		{"a\x7fb", false},
		{"é", false},
		{strings.Repeat("n", maxDPoPNonce), true},
		{strings.Repeat("n", maxDPoPNonce+1), false},
	}
	for _, tt := range tests {
		if got := validNonce(tt.nonce); got != tt.want {
			t.Errorf("validNonce(%q) = %t, want %t", tt.nonce, got, tt.want)
		}
	}
}

// TestDPoPNonces: the latest valid nonce of each origin is remembered,
// an invalid one is ignored, and at most maxDPoPOrigins are kept.
func TestDPoPNonces(t *testing.T) {
	var n dpopNonces
	h := func(v string) http.Header { return http.Header{"Dpop-Nonce": {v}} }
	if got := n.get("https://a"); got != "" {
		t.Errorf("empty memory: get = %q", got)
	}
	for _, step := range []struct {
		origin, nonce string
		had           bool
		want          string
	}{
		{"https://a", "n1", true, "n1"},
		{"https://a", "n2", true, "n2"},
		{"https://a", "bad nonce", false, "n2"},
		{"https://a", "", false, "n2"},
		{"https://b", "m1", true, "m1"},
	} {
		if had := n.update(step.origin, h(step.nonce)); had != step.had {
			t.Errorf("update(%q, %q) = %t, want %t", step.origin, step.nonce, had, step.had)
		}
		if got := n.get(step.origin); got != step.want {
			t.Errorf("after update(%q, %q): get = %q, want %q", step.origin, step.nonce, got, step.want)
		}
	}
	if got := n.get("https://a"); got != "n2" {
		t.Errorf("another origin's nonce replaced a's: %q", got)
	}
	for i := 0; i < 3*maxDPoPOrigins; i++ {
		n.update("https://o"+strconv.Itoa(i), h("x"))
		if got := len(*n.m.Load()); got > maxDPoPOrigins {
			t.Fatalf("%d origins kept, want at most %d", got, maxDPoPOrigins)
		}
		if n.get("https://o"+strconv.Itoa(i)) != "x" {
			t.Fatalf("origin %d's nonce not kept", i)
		}
	}
}

// FuzzDPoPNonce: whatever a DPoP-Nonce header holds, the memory keeps it
// exactly when it is a nonce of RFC 9449 §8.1, and never breaks.
func FuzzDPoPNonce(f *testing.F) {
	for _, s := range []string{"eyJ7S_zG.eyJH0-Z.HX4w-7v", "", "a b", `"q"`, "\x00", "é", strings.Repeat("n", maxDPoPNonce+1)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		var n dpopNonces
		n.update("https://a", http.Header{"Dpop-Nonce": {"before"}})
		had := n.update("https://a", http.Header{"Dpop-Nonce": {v}})
		want := "before"
		if validNonce(v) {
			want = v
		}
		if got := n.get("https://a"); got != want || had != validNonce(v) {
			t.Fatalf("update(%q) = %t, then get = %q; want %t, %q", v, had, got, validNonce(v), want)
		}
		for i := 0; i < len(v); i++ {
			if validNonce(v) && (v[i] <= ' ' || v[i] >= 0x7f || v[i] == '"' || v[i] == '\\') {
				t.Fatalf("nonce %q with byte %#x accepted", v, v[i])
			}
		}
	})
}

// FuzzDPoPTarget: whatever URL a request has, its origin and htu are
// ASCII (a host name that is not is written in Punycode), htu starts with
// the origin and has neither query nor fragment.
func FuzzDPoPTarget(f *testing.F) {
	for _, s := range []string{"https://api.example.com/a?b#c", "http://[::1]:80/x", "https://bücher.example:8443/",
		"https://他们为什么不说中文.example", "HTTPS://Ü.Ü.example./%41"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := url.Parse(raw)
		if err != nil {
			return
		}
		origin, htu := dpopTarget(u)
		for i := 0; i < len(htu); i++ {
			if htu[i] >= 0x80 {
				t.Fatalf("dpopTarget(%q) htu %q is not ASCII", raw, htu)
			}
		}
		if !strings.HasPrefix(htu, origin) || strings.ContainsAny(htu[len(origin):], "?#") {
			t.Fatalf("dpopTarget(%q) = %q, %q", raw, origin, htu)
		}
	})
}

// FuzzPushResponse: a PAR endpoint's answer gives a request_uri, the
// body's own, only for a 2xx JSON object that has one, and otherwise an
// error (an *Error for an error status), never a panic.
func FuzzPushResponse(f *testing.F) {
	f.Add(201, "application/json", []byte(`{"request_uri":"urn:ietf:params:oauth:request_uri:6esc_11ACC5bwc014ltc14eY22c","expires_in":60}`))      // RFC 9126 §2.2
	f.Add(400, "application/json", []byte(`{"error":"invalid_request","error_description":"The redirect_uri is not valid for the given client"}`)) // §2.3
	f.Add(200, "application/json", []byte(`{"request_uri":7,"expires_in":"60"}`))
	f.Add(201, "", []byte(`{"request_uri":"u","expires_in":1e400}`))
	f.Add(201, "application/x-www-form-urlencoded", []byte(`request_uri=u&expires_in=5`))
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, status int, ct string, body []byte) {
		uri, exp, err := parsePushResponse(&response{status: status, contentType: ct, header: http.Header{}, body: body}, now)
		if err != nil {
			if uri != "" || !exp.IsZero() {
				t.Fatal("a request_uri with an error")
			}
			if status/100 != 2 {
				if _, ok := err.(*Error); !ok {
					t.Fatalf("status %d: error %T, want *Error", status, err)
				}
			}
			return
		}
		if status/100 != 2 || uri == "" {
			t.Fatalf("status %d, request_uri %q accepted", status, uri)
		}
		vals, _, derr := decodeResponse(ct, body)
		if derr != nil || vals["request_uri"] != uri {
			t.Fatalf("request_uri %q is not the body's", uri)
		}
		if !exp.IsZero() && !exp.After(now) {
			t.Fatalf("expiry %v not after now", exp)
		}
	})
}
