package oauth1

import (
	"io"
	"net/http"
	"strings"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// What an error may hold of untrusted text: a server's is scrubbed of
// every credential the request sent or the response carried
// (urlenc.Redact), then, like a client's, bounded (urlenc.Clip; "..." is
// appended to text that was cut).
const (
	excerptLen = 512 // Error.Body
	adviceLen  = 256 // Error.Advice
	problemLen = 64  // Error.Problem; the longest registered problem has 33 bytes
	quoteLen   = 64  // a received value or name quoted by an error, such as oauth_version
)

// sentCredentials returns the credentials req carries, in the form they
// were sent and decoded: the values of oauth_signature, oauth_token and
// oauth_verifier in its OAuth Authorization header, its query and its
// form body (read through GetBody, up to DefaultMaxBodyBytes); and for a
// PLAINTEXT signature, which is the RFC 5849 §3.4.2 key, the consumer and
// token secrets it is made of.
func sentCredentials(req *http.Request) []string {
	if req == nil {
		return nil
	}
	var ps urlenc.Params
	for _, h := range req.Header.Values("Authorization") {
		if _, _, hp, ok, err := parseAuthHeader(h); ok && err == nil {
			ps = append(ps, hp...)
		}
		// The values as sent too (percent-encoded), which a server
		// echoing the header inside a form body encodes once more.
		if rp, ok, err := urlenc.ParseAuthParams(h, "OAuth"); ok && err == nil {
			ps = append(ps, rp...)
		}
	}
	var forms []string
	if req.URL != nil {
		forms = append(forms, req.URL.RawQuery)
	}
	if req.GetBody != nil && isForm(req.Header.Get("Content-Type")) {
		if body, err := req.GetBody(); err == nil {
			b, _ := io.ReadAll(io.LimitReader(body, DefaultMaxBodyBytes))
			body.Close()
			forms = append(forms, string(b))
		}
	}
	for _, f := range forms {
		p, _ := urlenc.ParseForm(f) // the pairs before a bad escape, if any
		ps = append(ps, p...)
		for _, pair := range strings.Split(f, "&") {
			k, v, _ := strings.Cut(pair, "=")
			ps = append(ps, urlenc.Param{Key: k, Value: v})
		}
	}
	var out []string
	for _, p := range ps {
		switch p.Key {
		case "oauth_signature":
			out = append(out, p.Value)
			// A PLAINTEXT signature: the encoded consumer secret, '&',
			// the encoded token secret.
			if cs, ts, ok := strings.Cut(p.Value, "&"); ok {
				out = append(out, cs, ts)
				for _, s := range []string{cs, ts} {
					if d, err := urlenc.Unescape(s); err == nil {
						out = append(out, d)
					}
				}
			}
		case "oauth_token", "oauth_verifier":
			out = append(out, p.Value)
		}
	}
	return out
}

// providerError returns the *Error of a refused request: the endpoint's
// name, the status, Problem and Advice from params, and an excerpt of body. Every
// credential in secrets, and every value of the oauth_token and
// oauth_token_secret fields of params, is replaced by urlenc.Redacted
// wherever it stands as a whole token; then the text is bounded (Problem
// to problemLen bytes, Advice to adviceLen, Body to excerptLen).
func providerError(endpoint string, status int, problem, advice string, params urlenc.Params, body []byte, secrets []string) *Error {
	secrets = append(secrets, params.Values("oauth_token")...)
	secrets = append(secrets, params.Values("oauth_token_secret")...)
	return &Error{
		Endpoint:   endpoint,
		StatusCode: status,
		Problem:    urlenc.Clip(urlenc.RedactString(problem, secrets), problemLen),
		Advice:     urlenc.Clip(urlenc.RedactString(advice, secrets), adviceLen),
		Body:       []byte(excerpt(body, secrets)),
	}
}

// excerpt returns the start of a body for Error.Body: the secrets
// redacted, the values of its oauth_token and oauth_token_secret fields
// masked (and redacted wherever else they stand), clipped to excerptLen
// bytes.
func excerpt(data []byte, secrets []string) string {
	s := urlenc.RedactString(string(data), secrets)
	s, masked := maskFields(s)
	s = urlenc.RedactString(s, masked)
	return urlenc.Clip(s, excerptLen)
}

// maskFields replaces with urlenc.Redacted the value of every
// oauth_token and oauth_token_secret field in s, whether written as a
// form field (oauth_token=v), a JSON member ("oauth_token": "v") or an
// auth-param (oauth_token="v"), also percent-encoded (oauth_token%3Dv,
// ending at %26 or %22). Key names and the text around the values are
// kept as they are. It covers a body that does not parse, whose fields
// the caller cannot list; the values it masked are returned.
func maskFields(s string) (string, []string) {
	const key = "oauth_token"
	var b strings.Builder
	var masked []string
	last := 0
	for i := 0; ; {
		j := strings.Index(s[i:], key)
		if j < 0 {
			break
		}
		k := i + j + len(key)
		i = k
		if strings.HasPrefix(s[k:], "_secret") {
			k += len("_secret")
		}
		if k < len(s) && isWordByte(s[k]) {
			continue // another name, such as oauth_token_type
		}
		k = skipAny(s, k, `"' `, "%22", "%27", `\"`)
		switch {
		case strings.HasPrefix(s[k:], "="), strings.HasPrefix(s[k:], ":"):
			k++
		case hasPrefixFold(s[k:], "%3D"), hasPrefixFold(s[k:], "%3A"):
			k += 3
		default:
			continue
		}
		k = skipAny(s, k, `"' `, "%22", "%27", `\"`, "%20", "+")
		end := k
		for end < len(s) && strings.IndexByte("&\"',;}]<> \t\r\n\\", s[end]) < 0 &&
			!hasPrefixFold(s[end:], "%26") && !hasPrefixFold(s[end:], "%22") {
			end++
		}
		if end == k || strings.HasPrefix(s[k:], urlenc.Redacted) {
			continue
		}
		masked = append(masked, s[k:end])
		b.WriteString(s[last:k])
		b.WriteString(urlenc.Redacted)
		last, i = end, end
	}
	if last == 0 {
		return s, nil
	}
	b.WriteString(s[last:])
	return b.String(), masked
}

// skipAny returns the index after any run, from i, of the bytes in set and
// the strings in seqs.
func skipAny(s string, i int, set string, seqs ...string) int {
next:
	for i < len(s) {
		if strings.IndexByte(set, s[i]) >= 0 {
			i++
			continue
		}
		for _, q := range seqs {
			if hasPrefixFold(s[i:], q) {
				i += len(q)
				continue next
			}
		}
		break
	}
	return i
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// isWordByte reports whether c continues a name.
func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_'
}
