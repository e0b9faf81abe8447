package fakeprovider

// This file is the provider's own reading of RFC 5849 §3.4 (the signature
// base string and the signature methods) and §3.5.1 (the Authorization
// header). It is written to be checked against the RFC line by line, with no
// optimisation, and shares no code with package oauth1: the end-to-end tests
// run that package's client against this code, so they compare two
// independent implementations.

import (
	"crypto"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// o1Param is one request parameter, decoded.
type o1Param struct {
	name, value string
}

// o1Collected is what a request carries (RFC 5849 §3.4.1.3.1).
type o1Collected struct {
	// params are the query's, then the Authorization header's, then the
	// form body's, in order, oauth_signature included.
	params []o1Param
	// realm is the Authorization header's realm, which is not a parameter.
	realm string
	// placement is where oauth_signature was found: "query", "header" or
	// "body"; "" when it was not.
	placement string
}

// o1Collect gathers the parameters of r (RFC 5849 §3.4.1.3.1):
//  1. the query component, parsed as application/x-www-form-urlencoded;
//  2. the OAuth Authorization header's parameters (§3.5.1), except realm;
//  3. the entity-body, when it is application/x-www-form-urlencoded.
//
// form is the body already read when the request's Content-Type is
// application/x-www-form-urlencoded, "" otherwise. Repeated names and empty
// values are kept. Parameters named oauth_... in more than one of the
// three places are an error (RFC 5849 §3.5).
func o1Collect(r *http.Request, form string) (*o1Collected, error) {
	c := &o1Collected{}
	places := 0 // how many places have oauth_ parameters
	add := func(params []o1Param, placement string) {
		has := false
		for _, p := range params {
			if p.name == "oauth_signature" {
				c.placement = placement
			}
			has = has || strings.HasPrefix(p.name, "oauth_")
			c.params = append(c.params, p)
		}
		if has {
			places++
		}
	}

	query, err := o1ParseForm(r.URL.RawQuery)
	if err != nil {
		return nil, fmt.Errorf("fakeprovider: query: %w", err)
	}
	add(query, "query")

	hasRealm := false
	for _, h := range r.Header.Values("Authorization") {
		pairs, ok, err := o1ParseAuthorization(h)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue // another scheme
		}
		var header []o1Param
		for _, p := range pairs {
			if p.name == "realm" { // RFC 2617 §1.2, not percent-encoded
				if hasRealm {
					return nil, errors.New("fakeprovider: authorization header: realm repeated")
				}
				c.realm, hasRealm = p.value, true
				continue
			}
			name, err1 := url.PathUnescape(p.name)
			value, err2 := url.PathUnescape(p.value)
			if err1 != nil || err2 != nil {
				return nil, errors.New("fakeprovider: authorization header: malformed percent-encoding")
			}
			header = append(header, o1Param{name, value})
		}
		add(header, "header")
	}

	body, err := o1ParseForm(form)
	if err != nil {
		return nil, fmt.Errorf("fakeprovider: form body: %w", err)
	}
	add(body, "body")
	if places > 1 {
		// RFC 5849 §3.5: the protocol parameters, and any other oauth_
		// parameter, in one and only one place.
		return nil, errors.New("fakeprovider: oauth_ parameters in more than one of the query, the Authorization header and the form body")
	}
	return c, nil
}

// o1ParseForm parses s as application/x-www-form-urlencoded, as RFC 5849
// §3.4.1.3.1 says (W3C HTML 4.01 §17.13.4): pairs separated by "&", the
// name from the value by the first "=", "+" for a space, then %XX escapes.
// A pair without "=" has an empty value; empty pairs are skipped.
func o1ParseForm(s string) ([]o1Param, error) {
	var params []o1Param
	for _, pair := range strings.Split(s, "&") {
		if pair == "" {
			continue
		}
		name, value, _ := strings.Cut(pair, "=")
		n, err := url.QueryUnescape(name)
		if err != nil {
			return nil, err
		}
		v, err := url.QueryUnescape(value)
		if err != nil {
			return nil, err
		}
		params = append(params, o1Param{n, v})
	}
	return params, nil
}

// o1ParseAuthorization parses an Authorization header of the OAuth scheme
// (RFC 5849 §3.5.1): "OAuth" (in any case), a space, then name="value"
// pairs separated by "," and optional whitespace. Every value must be a
// quoted-string (RFC 2616 §2.2: a backslash escapes the next character).
// The pairs are returned as written, not percent-decoded. ok is false when
// h is of another scheme.
func o1ParseAuthorization(h string) (pairs []o1Param, ok bool, err error) {
	scheme, rest, _ := strings.Cut(h, " ")
	if !strings.EqualFold(scheme, "OAuth") {
		return nil, false, nil
	}
	for {
		rest = strings.TrimLeft(rest, " \t")
		if rest == "" {
			return pairs, true, nil
		}
		name, after, found := strings.Cut(rest, "=")
		name = strings.TrimRight(name, " \t")
		if !found || name == "" || strings.ContainsAny(name, " \t,\"") {
			return nil, true, errors.New("fakeprovider: authorization header: expected name=\"value\"")
		}
		value, after, err := o1Unquote(strings.TrimLeft(after, " \t"))
		if err != nil {
			return nil, true, err
		}
		pairs = append(pairs, o1Param{name, value})
		rest = strings.TrimLeft(after, " \t")
		if rest != "" && rest[0] != ',' {
			return nil, true, errors.New("fakeprovider: authorization header: expected ',' between parameters")
		}
		rest = strings.TrimPrefix(rest, ",")
	}
}

// o1Unquote reads the quoted-string at the start of s (RFC 2616 §2.2) and
// returns its content and what follows it.
func o1Unquote(s string) (value, rest string, err error) {
	if !strings.HasPrefix(s, `"`) {
		return "", "", errors.New("fakeprovider: authorization header: value not quoted")
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '"':
			return b.String(), s[i+1:], nil
		case '\\':
			if i+1 == len(s) {
				return "", "", errors.New("fakeprovider: authorization header: unterminated quoted-string")
			}
			i++
			b.WriteByte(s[i])
		default:
			b.WriteByte(s[i])
		}
	}
	return "", "", errors.New("fakeprovider: authorization header: unterminated quoted-string")
}

// o1RequestBaseURI returns the base string URI (RFC 5849 §3.4.1.2) of a
// request the provider received: https when it came over TLS, the Host
// header, and the path as sent.
func o1RequestBaseURI(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return o1BaseStringURI(scheme, r.Host, r.URL.EscapedPath())
}

// o1BaseStringURI returns the base string URI (RFC 5849 §3.4.1.2), not yet
// encoded: scheme and host in lower case, the port as a number and only
// when it is not the scheme's default (80 for http, 443 for https), and the
// path, "/" when it is empty. There is no query and no fragment.
func o1BaseStringURI(scheme, host, path string) string {
	scheme = strings.ToLower(scheme)
	host = strings.ToLower(host)
	authority, port := host, ""
	// The port follows the last ':', unless that ':' is inside an IPv6
	// literal ("[::1]").
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.Contains(host[i:], "]") {
		authority, port = host[:i], host[i+1:]
	}
	// The port's value decides (RFC 3986 §6.2.3): "0443" is 443.
	if n, err := strconv.Atoi(port); err == nil {
		port = strconv.Itoa(n)
	}
	defaultPort := scheme == "http" && port == "80" || scheme == "https" && port == "443"
	if port != "" && !defaultPort {
		authority += ":" + port
	}
	if path == "" {
		path = "/"
	}
	return scheme + "://" + authority + path
}

// o1Encode percent-encodes s (RFC 5849 §3.6): every byte of its UTF-8 form
// except the unreserved characters ALPHA, DIGIT, "-", ".", "_" and "~"
// becomes "%" and two upper-case hexadecimal digits.
func o1Encode(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
			c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&0x0F])
	}
	return b.String()
}

// o1Normalize returns the normalized request parameters (RFC 5849
// §3.4.1.3.2):
//  1. every name and value is encoded;
//  2. the pairs are sorted by name, then by value, in ascending byte order;
//  3. each name is joined to its value by "=", even when the value is empty;
//  4. the pairs are joined by "&".
func o1Normalize(params []o1Param) string {
	encoded := make([]o1Param, len(params))
	for i, p := range params {
		encoded[i] = o1Param{o1Encode(p.name), o1Encode(p.value)}
	}
	sort.Slice(encoded, func(i, j int) bool {
		if encoded[i].name != encoded[j].name {
			return encoded[i].name < encoded[j].name
		}
		return encoded[i].value < encoded[j].value
	})
	pairs := make([]string, len(encoded))
	for i, p := range encoded {
		pairs[i] = p.name + "=" + p.value
	}
	return strings.Join(pairs, "&")
}

// o1BaseString returns the signature base string (RFC 5849 §3.4.1.1): the
// HTTP method in upper case, the base string URI and the normalized
// parameters, each encoded, joined by "&". params are the collected
// parameters; oauth_signature is left out (§3.4.1.3.1).
func o1BaseString(method, baseURI string, params []o1Param) string {
	var signed []o1Param
	for _, p := range params {
		if p.name != "oauth_signature" {
			signed = append(signed, p)
		}
	}
	return o1Encode(strings.ToUpper(method)) + "&" + o1Encode(baseURI) + "&" + o1Encode(o1Normalize(signed))
}

// o1SignatureMethods are the methods the provider accepts.
var o1SignatureMethods = []string{
	"HMAC-SHA1", "HMAC-SHA256", "HMAC-SHA512", "RSA-SHA1", "RSA-SHA256", "RSA-SHA512", "PLAINTEXT",
}

// o1CheckSignature reports whether sig, as received (Base64, or the key for
// PLAINTEXT), is the signature of base by method: HMAC-SHA1 (RFC 5849
// §3.4.2), RSA-SHA1 (§3.4.3), their SHA-256 and SHA-512 variants, or
// PLAINTEXT (§3.4.4). The HMAC and PLAINTEXT key is the encoded consumer
// secret, "&" and the encoded token secret; the RSA methods verify with pub
// (RSASSA-PKCS1-v1_5). Comparisons are constant-time.
func o1CheckSignature(method, base, consumerSecret, tokenSecret string, pub *rsa.PublicKey, sig string) bool {
	key := o1Encode(consumerSecret) + "&" + o1Encode(tokenSecret)
	switch method {
	case "HMAC-SHA1":
		return o1CheckHMAC(sha1.New, key, base, sig)
	case "HMAC-SHA256":
		return o1CheckHMAC(sha256.New, key, base, sig)
	case "HMAC-SHA512":
		return o1CheckHMAC(sha512.New, key, base, sig)
	case "RSA-SHA1":
		digest := sha1.Sum([]byte(base))
		return o1CheckRSA(pub, crypto.SHA1, digest[:], sig)
	case "RSA-SHA256":
		digest := sha256.Sum256([]byte(base))
		return o1CheckRSA(pub, crypto.SHA256, digest[:], sig)
	case "RSA-SHA512":
		digest := sha512.Sum512([]byte(base))
		return o1CheckRSA(pub, crypto.SHA512, digest[:], sig)
	case "PLAINTEXT":
		return subtle.ConstantTimeCompare([]byte(key), []byte(sig)) == 1
	}
	return false
}

// o1CheckHMAC compares sig with the Base64 HMAC of base under key.
func o1CheckHMAC(h func() hash.Hash, key, base, sig string) bool {
	mac := hmac.New(h, []byte(key))
	mac.Write([]byte(base))
	want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	return hmac.Equal([]byte(want), []byte(sig))
}

// o1CheckRSA verifies the Base64 signature sig of digest with pub.
func o1CheckRSA(pub *rsa.PublicKey, h crypto.Hash, digest []byte, sig string) bool {
	raw, err := base64.StdEncoding.DecodeString(sig)
	if pub == nil || err != nil {
		return false
	}
	return rsa.VerifyPKCS1v15(pub, h, digest, raw) == nil
}

// o1BodyHash returns the oauth_body_hash of body (OAuth Request Body Hash
// 1.0 §3.2): the Base64 of its SHA-1.
func o1BodyHash(body string) string {
	sum := sha1.Sum([]byte(body))
	return base64.StdEncoding.EncodeToString(sum[:])
}
