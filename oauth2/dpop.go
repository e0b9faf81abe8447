package oauth2

// DPoP (RFC 9449) as the core sees it: the interface a key implements,
// the checks that keep a bound token with its key, the server nonces a
// client remembers, and the challenges that ask for one. The proofs
// themselves (JSON claims, JWS signing, keys) are made by the DPoP value
// the user sets, such as package oauth2/dpop's Key, so that a program that
// does not use DPoP links none of that.

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
)

// DPoP makes the proofs of possession of RFC 9449 with one key: set
// Config.DPoP (or Transport.DPoP) to one, such as a *dpop.Key of package
// oauth2/dpop, and every token request carries a proof (RFC 9449 §5), the
// tokens the server binds to the key (token_type DPoP) are sent as
// "Authorization: DPoP <token>" with a proof of their own (§7.1), and the
// server's nonces are answered (§8, §9).
//
// Implementations must be safe for concurrent use by multiple goroutines.
type DPoP interface {
	// Proof returns a DPoP proof (RFC 9449 §4.2), a signed JWT of type
	// dpop+jwt whose header carries the public key, for a request with
	// HTTP method method to uri, the "htu": the target URI without query
	// and fragment (the package passes it so). accessToken is the access
	// token the request presents, whose hash goes in "ath" ("" at the
	// token endpoint: no ath); nonce is the server's DPoP nonce ("" for
	// none); iat is the proof's "iat" (the package passes Config.Now).
	// Every call returns a proof with a new, unguessable "jti".
	Proof(method, uri, accessToken, nonce string, iat time.Time) (string, error)
	// Thumbprint returns the RFC 7638 SHA-256 thumbprint of the public
	// key, base64url-encoded: the "jkt" a server binds tokens to (RFC
	// 9449 §6.1).
	Thumbprint() string
}

var (
	// ErrNoDPoPKey is returned when a DPoP-bound token (token_type DPoP,
	// or one whose DPoPJKT is set) would be sent or refreshed and there
	// is no DPoP key to prove possession with (Config.DPoP and
	// Transport.DPoP are nil), and by NewLogin asked for
	// BindCodeToDPoPKey without Config.DPoP. Nothing is sent.
	ErrNoDPoPKey = errors.New("oauth2: no DPoP key")

	// ErrDPoPKeyMismatch is returned when a token bound to one DPoP key
	// (Token.DPoPJKT) would be sent or refreshed with proofs of another:
	// a token restored with a key other than the one saved with it.
	// Nothing is sent: a bound token is useless without its key.
	ErrDPoPKeyMismatch = errors.New("oauth2: token is bound to another DPoP key")

	// ErrNotReplayable is wrapped by the error of a Transport whose
	// request a resource server refused for want of a DPoP nonce (RFC
	// 9449 §9) when the request's body cannot be sent again (it has no
	// GetBody): the request is not retried, and the answer, closed, is
	// not returned. Build the request with a body net/http can replay
	// (bytes, a string, http.NoBody) or set GetBody.
	ErrNotReplayable = errors.New("oauth2: request body cannot be sent again")
)

// isDPoP reports whether tok is DPoP-bound: token_type DPoP (RFC 9449
// §5), or a DPoPJKT recorded when it was issued.
func isDPoP(tok *Token) bool {
	return tok.DPoPJKT != "" || strings.EqualFold(tok.TokenType, "DPoP")
}

// checkDPoPKey returns nil if tok may be sent, or refreshed, with proofs
// of dp: tok is not DPoP-bound, or dp is a key and, when tok records its
// key, that key.
func checkDPoPKey(tok *Token, dp DPoP) error {
	if !isDPoP(tok) {
		return nil
	}
	if dp == nil {
		return ErrNoDPoPKey
	}
	if tok.DPoPJKT != "" && tok.DPoPJKT != dp.Thumbprint() {
		return ErrDPoPKeyMismatch // Token.DPoPJKT and Thumbprint tell the two keys
	}
	return nil
}

// Bounds of the DPoP nonces a client remembers.
const (
	// maxDPoPOrigins is how many origins' nonces are kept; past it, the
	// others are forgotten.
	maxDPoPOrigins = 16
	// maxDPoPNonce is the longest nonce kept, in bytes; a longer one is
	// ignored.
	maxDPoPNonce = 1024
)

// dpopNonces remembers the latest DPoP nonce (RFC 9449 §8, §9) of each
// origin, from the DPoP-Nonce header of every response a proof was sent
// with. The map is replaced, never modified, so that reading takes no
// lock; its zero value is empty and ready.
type dpopNonces struct {
	m atomic.Pointer[map[string]string]
}

// get returns the nonce of origin, or "".
func (n *dpopNonces) get(origin string) string {
	if m := n.m.Load(); m != nil {
		return (*m)[origin]
	}
	return ""
}

// update records the DPoP-Nonce value of h, if it has a valid one, as
// origin's nonce, and reports whether h had one.
func (n *dpopNonces) update(origin string, h http.Header) bool {
	v := h.Get("DPoP-Nonce")
	if !validNonce(v) {
		return false
	}
	n.set(origin, v)
	return true
}

// set records v, a valid nonce, as origin's nonce.
func (n *dpopNonces) set(origin, v string) {
	for {
		old := n.m.Load()
		next := make(map[string]string)
		if old != nil {
			if (*old)[origin] == v {
				return
			}
			// Past maxDPoPOrigins the others are forgotten: a client
			// talking to that many servers learns their nonces again.
			if _, had := (*old)[origin]; had || len(*old) < maxDPoPOrigins {
				for k, x := range *old {
					next[k] = x
				}
			}
		}
		next[origin] = v
		if n.m.CompareAndSwap(old, &next) {
			return
		}
	}
}

// validNonce reports whether v is a nonce of RFC 9449 §8.1, 1*NQCHAR
// (%x21 / %x23-5B / %x5D-7E), of at most maxDPoPNonce bytes.
func validNonce(v string) bool {
	if v == "" || len(v) > maxDPoPNonce {
		return false
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < 0x21 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// dpopTarget returns the origin of u (scheme://host[:port], lower case,
// without the scheme's default port), which keys the nonce memory, and
// the proof's htu: the origin and u's path ("/" when empty), without query
// and fragment (RFC 9449 §4.2), normalized as §4.3 compares it. A host
// name that is not ASCII is written as net/http sends it, in Punycode
// (see punycodeHost), which is the name the server knows.
func dpopTarget(u *url.URL) (origin, htu string) {
	scheme := asciiLower(u.Scheme)
	host := asciiLower(punycodeHost(u.Host))
	if p := u.Port(); p == "" || scheme == "https" && p == "443" || scheme == "http" && p == "80" {
		host = strings.TrimSuffix(host[:len(host)-len(p)], ":") // "host:" has an empty port (RFC 3986 §6.2.3)
	}
	origin = scheme + "://" + host
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	return origin, origin + path
}

// dpopChallengeError returns the error code of the DPoP challenge of h's
// WWW-Authenticate fields (RFC 9449 §7.1), or "".
func dpopChallengeError(h http.Header) string {
	c, ok := authChallenge(h, "DPoP")
	if !ok {
		return ""
	}
	return c.Param("error")
}

// isUseDPoPNonce reports whether r, a token or PAR endpoint's answer, is
// the use_dpop_nonce error of RFC 9449 §8 with a DPoP-Nonce to use.
func isUseDPoPNonce(r *response) bool {
	if r.status/100 == 2 || !validNonce(r.header.Get("DPoP-Nonce")) {
		return false
	}
	vals, _, err := decodeResponse(r.contentType, r.body)
	return err == nil && str(vals["error"]) == "use_dpop_nonce"
}

// punycodeHost returns host (a URL's host, with its port if any) with each
// dot-separated label that is not ASCII replaced by "xn--" and its RFC
// 3492 Punycode encoding, as net/http writes a request's Host
// (golang.org/x/net/http/httpguts.PunycodeHostPort, IDNA's ToASCII
// without mapping). A label too long to encode is kept as it is: net/http
// refuses such a host before any proof matters.
func punycodeHost(host string) string {
	ascii := true
	for i := 0; i < len(host); i++ {
		ascii = ascii && host[i] < 0x80
	}
	if ascii {
		return host
	}
	labels := strings.Split(host, ".")
	for i, l := range labels {
		for j := 0; j < len(l); j++ {
			if l[j] >= 0x80 {
				if enc, ok := punycode(l); ok {
					labels[i] = "xn--" + enc
				}
				break
			}
		}
	}
	return strings.Join(labels, ".")
}

// punycode returns the Punycode encoding of s (RFC 3492 §6.3), or false
// if it would overflow.
func punycode(s string) (string, bool) {
	const (
		base, tmin, tmax, skew, damp = 36, 1, 26, 38, 700
		maxDelta                     = 1<<31 - 1
	)
	runes := []rune(s)
	var out []byte
	for _, r := range runes {
		if r < 0x80 {
			out = append(out, byte(r))
		}
	}
	b := len(out)
	h := b
	if b > 0 {
		out = append(out, '-')
	}
	digit := func(d int) byte {
		if d < 26 {
			return byte('a' + d)
		}
		return byte('0' + d - 26)
	}
	adapt := func(delta, points int, first bool) int {
		if first {
			delta /= damp
		} else {
			delta /= 2
		}
		delta += delta / points
		k := 0
		for delta > (base-tmin)*tmax/2 {
			delta /= base - tmin
			k += base
		}
		return k + (base-tmin+1)*delta/(delta+skew)
	}
	n, delta, bias := 0x80, 0, 72
	for h < len(runes) {
		m := rune(maxDelta)
		for _, r := range runes {
			if r >= rune(n) && r < m {
				m = r
			}
		}
		if int(m)-n > (maxDelta-delta)/(h+1) {
			return "", false
		}
		delta += (int(m) - n) * (h + 1)
		n = int(m)
		for _, r := range runes {
			if int(r) < n {
				if delta++; delta > maxDelta {
					return "", false
				}
			}
			if int(r) != n {
				continue
			}
			q := delta
			for k := base; ; k += base {
				t := min(max(k-bias, tmin), tmax)
				if q < t {
					break
				}
				out = append(out, digit(t+(q-t)%(base-t)))
				q = (q - t) / (base - t)
			}
			out = append(out, digit(q))
			bias = adapt(delta, h+1, h == b)
			delta = 0
			h++
		}
		delta++
		n++
	}
	return string(out), true
}
