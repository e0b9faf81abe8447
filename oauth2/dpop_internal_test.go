package oauth2

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
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
