package oauth1

import (
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/oauthkit/oauth/internal/urlenc"
	"github.com/oauthkit/oauth/signer"
)

// Sign signs req in place with the consumer credentials and tok (nil for
// a request without a token), as RFC 5849 §3 describes: it collects the
// protocol parameters, the query parameters and, when the body is
// application/x-www-form-urlencoded, the body parameters; builds the
// signature base string (§3.4.1); signs it with the configured
// [SignatureMethod]; and places the result as Config.Placement says.
//
// Each call uses a fresh nonce (from Config.Rand or Config.Nonce) and the
// time from Config.Now. A form body, or any body when Config.BodyHash is
// set, is read (up to Config.MaxBodyBytes) and replaced by an equivalent
// one; req.GetBody is set if it was nil. On an error req may have been
// partly consumed and should not be sent.
//
// A PLAINTEXT signature is the secrets themselves: Sign refuses it, with
// an error wrapping [ErrInsecureTransport], for a URL that is plain http
// to a host other than a loopback address, unless
// Config.InsecureAllowHTTP is set.
//
// Unless Config.NoKeyCache is set, Sign keeps the prepared HMAC keys of
// credentials it signs with repeatedly (see "Performance" in the package
// documentation); a signature is the same with or without them.
//
// Sign is safe for concurrent use on different requests.
func (c *Config) Sign(req *http.Request, tok *Token) error {
	var in signInput
	if tok != nil {
		in.token, in.tokenSecret = tok.Token, tok.Secret
	}
	return c.sign(req, &in)
}

// SigningKey returns the RFC 5849 §3.4.2 key of the HMAC and PLAINTEXT
// methods: the encoded consumer secret, '&', the encoded token secret.
func SigningKey(consumerSecret, tokenSecret string) string {
	return string(appendKey(make([]byte, 0, len(consumerSecret)+len(tokenSecret)+1), consumerSecret, tokenSecret))
}

// appendKey appends the RFC 5849 §3.4.2 key to dst.
func appendKey(dst []byte, consumerSecret, tokenSecret string) []byte {
	dst = urlenc.AppendEscape(dst, consumerSecret)
	dst = append(dst, '&')
	return urlenc.AppendEscape(dst, tokenSecret)
}

type signInput struct {
	token, tokenSecret string
	callback, verifier string
}

// scratch holds the buffers of one signing, pooled so that signing does not
// allocate them.
type scratch struct {
	buf    []byte
	body   []byte
	params []urlenc.RawParam // query and form-body parameters, still encoded

	// random holds bytes read from crypto/rand for the nonces of the
	// next signings, random[used:] not yet taken. One read fills it for
	// several nonces: most of the cost of a read is in making it, not in
	// its length. Each byte is used once and cleared as it is taken.
	random [8 * nonceBytes]byte
	used   int
}

// takeRandom fills b (at most len(s.random) bytes) with random bytes
// from crypto/rand, never the same bytes twice.
func (s *scratch) takeRandom(b []byte) error {
	if len(s.random)-s.used < len(b) {
		if _, err := io.ReadFull(rand.Reader, s.random[:]); err != nil {
			s.used = len(s.random)
			return err
		}
		s.used = 0
	}
	r := s.random[s.used : s.used+len(b)]
	copy(b, r)
	clear(r)
	s.used += len(b)
	return nil
}

var scratchPool = sync.Pool{New: func() any {
	s := &scratch{buf: make([]byte, 0, 1024), params: make([]urlenc.RawParam, 0, 16)}
	s.used = len(s.random)
	return s
}}

func putScratch(s *scratch) {
	if cap(s.buf) > 64<<10 || cap(s.body) > 64<<10 || cap(s.params) > 1024 {
		return
	}
	// Drop the references to this request's strings, only where used.
	clear(s.params)
	s.params = s.params[:0]
	s.buf = s.buf[:0]
	s.body = s.body[:0]
	scratchPool.Put(s)
}

// stringBody is a request body over a string, closable, in one allocation.
type stringBody struct{ strings.Reader }

func (*stringBody) Close() error { return nil }

func newStringBody(s string) *stringBody {
	b := new(stringBody)
	b.Reset(s)
	return b
}

// isForm reports whether a Content-Type names
// application/x-www-form-urlencoded, parameters such as charset allowed.
func isForm(ct string) bool {
	if ct == formType { // as nearly every client sends it
		return true
	}
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	return strings.EqualFold(strings.TrimSpace(ct), "application/x-www-form-urlencoded")
}

const formType = "application/x-www-form-urlencoded"

func hasBody(req *http.Request) bool {
	return req.Body != nil && req.Body != http.NoBody
}

// readBody reads the whole request body into dst, up to limit bytes, and
// closes it.
func readBody(dst []byte, body io.ReadCloser, limit int64) ([]byte, error) {
	defer body.Close()
	for {
		if len(dst) == cap(dst) {
			dst = append(dst, 0)[:len(dst)]
		}
		n, err := body.Read(dst[len(dst):cap(dst)])
		dst = dst[:len(dst)+n]
		if int64(len(dst)) > limit {
			return dst, fmt.Errorf("oauth1: request body: %w", &http.MaxBytesError{Limit: limit})
		}
		if err == io.EOF {
			return dst, nil
		}
		if err != nil {
			return dst, fmt.Errorf("oauth1: reading request body: %w", err)
		}
	}
}

const nonceBytes = 32

func (c *Config) sign(req *http.Request, in *signInput) error {
	// The original body is closed on every error path, exactly once. The
	// work is in signWith so that this function's two clean-ups are the
	// only ones: a function with many returns and defers pays for the
	// defers on every call.
	orig := req.Body
	withBody := hasBody(req)
	s := scratchPool.Get().(*scratch)
	consumed, err := c.signWith(req, in, s)
	putScratch(s)
	if err != nil && withBody && !consumed {
		orig.Close()
	}
	return err
}

// signWith signs req using the buffers in s. consumed reports whether the
// original body has been read and closed.
func (c *Config) signWith(req *http.Request, in *signInput, s *scratch) (consumed bool, err error) {
	if req.URL == nil {
		return false, errors.New("oauth1: request has no URL")
	}
	method := c.method()
	if err := c.checkTransport(method, req.URL); err != nil {
		return false, err
	}

	// The map is indexed with the canonical key directly, which finds what
	// Get would without canonicalizing the key on every request.
	var ct string
	if v := req.Header["Content-Type"]; len(v) > 0 {
		ct = v[0]
	}
	form := isForm(ct)
	placement := c.Placement
	withBody := hasBody(req)
	if placement == InFormBody && !form {
		if withBody || ct != "" {
			return false, fmt.Errorf("oauth1: content type %q: %w", urlenc.Clip(ct, quoteLen), ErrNotForm)
		}
		form = true
	}
	readIt := withBody && (form || c.BodyHash)
	bodyHash := c.BodyHash && !form

	// tmp collects nonce, timestamp, body hash and body, turned into one
	// string with one allocation.
	tmp := s.buf[:0]
	var nonce string
	nonceEnd := 0
	if c.Nonce != nil {
		if nonce, err = c.Nonce(); err != nil {
			return false, fmt.Errorf("oauth1: nonce: %w", err)
		}
	} else {
		const enc = 43 // base64.RawURLEncoding.EncodedLen(nonceBytes)
		if cap(tmp) < enc+nonceBytes {
			tmp = make([]byte, 0, 1024)
		}
		rb := tmp[enc : enc+nonceBytes] // beyond len, inside cap
		if c.Rand != nil {
			_, err = io.ReadFull(c.Rand, rb)
		} else {
			err = s.takeRandom(rb)
		}
		if err != nil {
			return false, fmt.Errorf("oauth1: reading nonce: %w", err)
		}
		tmp = base64.RawURLEncoding.AppendEncode(tmp, rb)
		nonceEnd = len(tmp)
	}
	tmp = strconv.AppendInt(tmp, c.now().Unix(), 10)
	tsEnd := len(tmp)

	if readIt {
		s.body, err = readBody(s.body[:0], req.Body, c.maxBody())
		if err != nil {
			return true, err // readBody closed it
		}
	}
	hashEnd := tsEnd
	if bodyHash {
		var sum [sha1.Size]byte
		if readIt {
			sum = sha1.Sum(s.body)
		} else {
			sum = sha1.Sum(nil)
		}
		tmp = base64.StdEncoding.AppendEncode(tmp, sum[:])
		hashEnd = len(tmp)
	}
	tmp = append(tmp, s.body...)
	combined := string(tmp)
	if c.Nonce == nil {
		nonce = combined[:nonceEnd]
	}
	timestamp := combined[nonceEnd:tsEnd]
	hash := combined[tsEnd:hashEnd]
	body := combined[hashEnd:]
	s.buf = tmp[:0]

	if readIt && placement != InFormBody {
		req.Body = newStringBody(body)
		req.ContentLength = int64(len(body))
		if req.GetBody == nil {
			req.GetBody = func() (io.ReadCloser, error) { return newStringBody(body), nil }
		}
	}

	// Protocol parameters, by name (see protoIndex); those not sent have
	// no bit in p.set. Whether a value needs percent-encoding is worked
	// out once, here: most need none and are then copied as they are into
	// both the base string and the header. A generated nonce is
	// Base64url, a timestamp digits.
	var p protoParams
	p.add(pNonce, nonce, c.Nonce == nil || plain(nonce))
	p.add(pTimestamp, timestamp, true)
	if !c.OmitVersion {
		p.add(pVersion, "1.0", true)
	}
	name := method.Name()
	p.add(pSignatureMethod, name, plain(name))
	p.add(pConsumerKey, c.ConsumerKey, plain(c.ConsumerKey))
	if in.token != "" {
		p.add(pToken, in.token, plain(in.token))
	}
	if in.callback != "" {
		p.add(pCallback, in.callback, plain(in.callback))
	}
	if in.verifier != "" {
		p.add(pVerifier, in.verifier, plain(in.verifier))
	}
	if bodyHash {
		p.add(pBodyHash, hash, plain(hash))
	}

	// Request parameters (query, form body), sorted; the protocol
	// parameters are merged in below in their known sorted order. They
	// stay form-encoded: they are sorted and written into the base string
	// straight from that text, which saves decoding each into a new
	// string first.
	params := s.params[:0]
	if req.URL.RawQuery != "" {
		if params, err = urlenc.AppendSplitForm(params, req.URL.RawQuery); err != nil {
			return readIt, fmt.Errorf("oauth1: query: %w: %w", ErrBadRequest, err)
		}
	}
	if form && body != "" {
		if params, err = urlenc.AppendSplitForm(params, body); err != nil {
			return readIt, fmt.Errorf("oauth1: form body: %w: %w", ErrBadRequest, err)
		}
	}
	s.params = params
	if len(params) > 1 {
		slices.SortFunc(params, urlenc.CompareRawParams)
	}
	// Signature base string (§3.4.1.1), key (§3.4.2), signature.
	buf := s.buf[:0]
	buf = appendUpper(buf, req.Method)
	buf = append(buf, '&')
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	buf = appendBaseURIEscaped(buf, req.URL.Scheme, host, req.URL)
	buf = append(buf, '&')
	buf = appendMerged(buf, params, &p)
	baseEnd := len(buf)
	// An HMAC method signs with the prepared key of these credentials
	// when they have been used before (see keyCache); otherwise, and for
	// every other method, the key is encoded here.
	var prepared *signer.HMACKey
	hm, isHMAC := method.(hmacMethod)
	if isHMAC && !c.NoKeyCache {
		var slot *keySlot
		var admit bool
		prepared, slot, admit = lookupKey(hm.alg, c.ConsumerSecret, in.tokenSecret)
		if admit {
			prepared = storeKey(slot, hm.alg, c.ConsumerSecret, in.tokenSecret,
				appendKey(buf[baseEnd:], c.ConsumerSecret, in.tokenSecret))
		}
	}
	// sig is the signature percent-encoded, as every placement sends it.
	var sig []byte
	if isHMAC {
		// The MAC goes straight into its encoded Base64.
		keyEnd := baseEnd
		var key []byte
		if prepared == nil {
			buf = appendKey(buf, c.ConsumerSecret, in.tokenSecret)
			keyEnd = len(buf)
			key = buf[baseEnd:keyEnd]
		}
		buf = hm.appendSignEscaped(buf, prepared, key, buf[:baseEnd])
		sig = buf[keyEnd:]
	} else {
		buf = appendKey(buf, c.ConsumerSecret, in.tokenSecret)
		keyEnd := len(buf)
		buf, err = method.AppendSign(buf, buf[baseEnd:keyEnd], buf[:baseEnd])
		if err != nil {
			s.buf = buf
			return readIt, err
		}
		sigEnd := len(buf)
		buf = urlenc.AppendEscapeBytes(buf, buf[keyEnd:sigEnd])
		sig = buf[sigEnd:]
	}
	s.buf = buf
	out := buf[len(buf):]

	switch placement {
	case InHeader:
		out = append(out, "OAuth "...)
		if realm := c.realm(); realm != "" {
			out = append(out, `realm="`...)
			out = appendQuotedRealm(out, realm)
			out = append(out, `", `...)
		}
		for _, i := range emitOrder {
			if p.set&(1<<i) == 0 {
				continue
			}
			out = append(out, headerPrefix[i]...)
			out = p.appendValue(out, i)
			out = append(out, `", `...)
		}
		out = append(out, `oauth_signature="`...)
		out = append(out, sig...)
		out = append(out, '"')
		if req.Header == nil {
			req.Header = make(http.Header)
		}
		req.Header["Authorization"] = []string{string(out)}
	case InQuery, InFormBody:
		prefix := req.URL.RawQuery
		if placement == InFormBody {
			prefix = body
		}
		out = append(out, prefix...)
		for _, i := range emitOrder {
			if p.set&(1<<i) == 0 {
				continue
			}
			if len(out) > 0 {
				out = append(out, '&')
			}
			out = append(out, protoNames[i]...)
			out = append(out, '=')
			out = p.appendValue(out, i)
		}
		out = append(out, "&oauth_signature="...)
		out = append(out, sig...)
		if placement == InQuery {
			req.URL.RawQuery = string(out)
			break
		}
		nb := string(out)
		req.Body = newStringBody(nb)
		req.ContentLength = int64(len(nb))
		req.GetBody = func() (io.ReadCloser, error) { return newStringBody(nb), nil }
		if req.Header == nil {
			req.Header = make(http.Header)
		}
		if req.Header.Get("Content-Type") == "" {
			req.Header.Set("Content-Type", formType)
		}
	default:
		return readIt, fmt.Errorf("oauth1: unknown placement %d", placement)
	}
	return readIt, nil
}

// checkTransport refuses a PLAINTEXT signature, which is the secrets
// themselves, on a URL that is neither https nor on a loopback host,
// unless InsecureAllowHTTP is set.
func (c *Config) checkTransport(m SignatureMethod, u *url.URL) error {
	if c.InsecureAllowHTTP || m.Name() != Plaintext.Name() ||
		strings.EqualFold(u.Scheme, "https") || urlenc.IsLoopback(u.Hostname()) {
		return nil
	}
	return fmt.Errorf("%w: %q", ErrInsecureTransport, urlenc.Clip(u.Host, quoteLen))
}

// appendQuotedRealm appends realm as the inside of an RFC 2617
// quoted-string: '"' and '\' are backslash-escaped, control bytes dropped.
func appendQuotedRealm(dst []byte, realm string) []byte {
	for i := 0; i < len(realm); i++ {
		c := realm[i]
		switch {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case c < 0x20 || c == 0x7f:
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

func appendUpper(dst []byte, s string) []byte {
	if s == "" {
		return append(dst, "GET"...)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// appendBaseURIEscaped appends the percent-encoded base string URI
// (RFC 5849 §3.4.1.2) of u with host as its authority: lower-case scheme
// and host, the port only when it is not the scheme's default, the path as
// sent, "/" for an empty path. It is AppendEscape of what appendBaseURI
// appends, made in one pass.
func appendBaseURIEscaped(dst []byte, scheme, host string, u *url.URL) []byte {
	dst = appendLowerEscaped(dst, scheme)
	dst = append(dst, "%3A%2F%2F"...) // "://"
	h, port := splitHostPort(host)
	dst = appendLowerEscaped(dst, h)
	if port != "" && !defaultPort(strings.ToLower(scheme), port) {
		dst = append(dst, "%3A"...)
		dst = urlenc.AppendEscape(dst, port)
	}
	return appendPathEscaped(dst, u)
}

// appendPathEscaped appends AppendEscape of the path as sent,
// u.EscapedPath() or "/" when that is empty. For a URL without RawPath
// it escapes u.Path in one pass, once or twice per byte as pathClass
// says, rather than building EscapedPath first.
func appendPathEscaped(dst []byte, u *url.URL) []byte {
	path := u.Path
	if u.RawPath != "" || path == "*" {
		path = u.EscapedPath()
		if path == "" {
			path = "/"
		}
		return urlenc.AppendEscape(dst, path)
	}
	if path == "" {
		return append(dst, "%2F"...)
	}
	const hex = "0123456789ABCDEF"
	n := len(dst)
	dst = slices.Grow(dst, 5*len(path))
	out := dst[n : n+5*len(path)]
	w := 0
	for i := 0; i < len(path); i++ {
		c := path[i]
		switch pathClass[c] {
		case pathPlain:
			out[w] = c
			w++
		case pathReserved:
			o := out[w : w+3 : w+3]
			o[0], o[1], o[2] = '%', hex[c>>4], hex[c&15]
			w += 3
		default:
			o := out[w : w+5 : w+5]
			o[0], o[1], o[2], o[3], o[4] = '%', '2', '5', hex[c>>4], hex[c&15]
			w += 5
		}
	}
	return dst[:n+w]
}

// Classes of a path byte: what (*url.URL).EscapedPath and then
// AppendEscape make of it.
const (
	pathPlain    = iota // unreserved: left as it is by both
	pathReserved        // left by EscapedPath, "%XX" from AppendEscape
	pathEscaped         // "%XX" from EscapedPath, "%25XX" from AppendEscape
)

var pathClass = func() (t [256]byte) {
	for c := range t {
		switch {
		case urlenc.Unreserved(byte(c)):
			t[c] = pathPlain
		case strings.IndexByte("$&+,/:;=@", byte(c)) >= 0:
			// net/url's shouldEscape for encodePath.
			t[c] = pathReserved
		default:
			t[c] = pathEscaped
		}
	}
	return t
}()

// appendLowerEscaped appends the percent-encoding of s in lower case.
func appendLowerEscaped(dst []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if urlenc.Unreserved(c) {
			dst = append(dst, c)
		} else {
			dst = append(dst, '%', hex[c>>4], hex[c&15])
		}
	}
	return dst
}

func appendBaseURI(dst []byte, scheme, host, path string) []byte {
	dst = appendLower(dst, scheme)
	dst = append(dst, "://"...)
	h, port := splitHostPort(host)
	dst = appendLower(dst, h)
	if port != "" && !defaultPort(strings.ToLower(scheme), port) {
		dst = append(dst, ':')
		dst = append(dst, port...)
	}
	if path == "" {
		path = "/"
	}
	return append(dst, path...)
}

func appendLower(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// splitHostPort splits host[:port], handling [IPv6] literals. The port is
// "" when absent or empty.
func splitHostPort(hostport string) (host, port string) {
	i := strings.LastIndexByte(hostport, ':')
	if i < 0 || strings.IndexByte(hostport[i:], ']') >= 0 {
		return hostport, ""
	}
	if strings.HasPrefix(hostport, "[") && !strings.Contains(hostport[:i], "]") {
		return hostport, ""
	}
	return hostport[:i], hostport[i+1:]
}

func defaultPort(scheme, port string) bool {
	return scheme == "http" && port == "80" || scheme == "https" && port == "443"
}

// protoIndex numbers the protocol parameters in the RFC 5849 §3.4.1.3.2
// order of their names, which are fixed and distinct: an array of them by
// index is sorted.
type protoIndex int

const (
	pBodyHash protoIndex = iota
	pCallback
	pConsumerKey
	pNonce
	pSignatureMethod
	pTimestamp
	pToken
	pVerifier
	pVersion
	nProto
)

// emitOrder is the order the header, query or body carries the protocol
// parameters in: oauthlib's, which published examples follow.
var emitOrder = [nProto]protoIndex{pNonce, pTimestamp, pVersion, pSignatureMethod,
	pConsumerKey, pToken, pCallback, pVerifier, pBodyHash}

// protoNames are the names of the protocol parameters by index. Each,
// "oauth_" and lower-case letters, never needs percent-encoding.
var protoNames = [nProto]string{
	pBodyHash:        "oauth_body_hash",
	pCallback:        "oauth_callback",
	pConsumerKey:     "oauth_consumer_key",
	pNonce:           "oauth_nonce",
	pSignatureMethod: "oauth_signature_method",
	pTimestamp:       "oauth_timestamp",
	pToken:           "oauth_token",
	pVerifier:        "oauth_verifier",
	pVersion:         "oauth_version",
}

// headerPrefix[i] is `name="` and basePrefix[i] "name%3D" (name=,
// encoded) for protocol parameter i.
var headerPrefix, basePrefix = func() (h, b [nProto]string) {
	for i, name := range protoNames {
		h[i], b[i] = name+`="`, name+"%3D"
	}
	return h, b
}()

// protoParams are the protocol parameters of one signing, by index; it
// lives on the stack, with nothing to pool or clear afterwards.
type protoParams struct {
	vals  [nProto]string
	set   uint16 // bit i: parameter i is sent
	plain uint16 // bit i: its value needs no percent-encoding
}

func (p *protoParams) add(i protoIndex, v string, plain bool) {
	p.vals[i] = v
	p.set |= 1 << i
	if plain {
		p.plain |= 1 << i
	}
}

// appendValue appends the percent-encoded value of parameter i.
func (p *protoParams) appendValue(dst []byte, i protoIndex) []byte {
	if p.plain&(1<<i) != 0 {
		return append(dst, p.vals[i]...)
	}
	return urlenc.AppendEscape(dst, p.vals[i])
}

// plain reports whether percent-encoding leaves s as it is.
func plain(s string) bool {
	for i := 0; i < len(s); i++ {
		if !urlenc.Unreserved(s[i]) {
			return false
		}
	}
	return true
}

// appendMerged appends the escaped normalized parameter string of the
// union of two sorted lists: a still form-encoded, and the protocol
// parameters that are set in p.
func appendMerged(dst []byte, a []urlenc.RawParam, p *protoParams) []byte {
	first := true
	i := protoIndex(0)
	for {
		for i < nProto && p.set&(1<<i) == 0 {
			i++
		}
		if len(a) == 0 && i == nProto {
			break
		}
		if !first {
			dst = append(dst, "%26"...)
		}
		first = false
		if i == nProto || len(a) > 0 && urlenc.CompareRawParam(a[0], urlenc.Param{Key: protoNames[i], Value: p.vals[i]}) <= 0 {
			dst = urlenc.AppendEscapeTwiceForm(dst, a[0].Key)
			dst = append(dst, "%3D"...)
			dst = urlenc.AppendEscapeTwiceForm(dst, a[0].Value)
			a = a[1:]
		} else {
			dst = append(dst, basePrefix[i]...)
			if p.plain&(1<<i) != 0 {
				dst = append(dst, p.vals[i]...)
			} else {
				dst = urlenc.AppendEscapeTwice(dst, p.vals[i])
			}
			i++
		}
	}
	return dst
}

// escapedPath is u.EscapedPath() with a fast path for the common case of
// a path that needs no escaping at all.
func escapedPath(u *url.URL) string {
	if u.RawPath == "" {
		plain := true
		for i := 0; i < len(u.Path); i++ {
			if c := u.Path[i]; !urlenc.Unreserved(c) && c != '/' {
				plain = false
				break
			}
		}
		if plain {
			return u.Path
		}
	}
	return u.EscapedPath()
}
