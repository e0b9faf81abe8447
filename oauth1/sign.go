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
	"strconv"
	"strings"
	"unsafe"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// Sign signs req in place with the consumer credentials and tok (nil for
// a request without a token), as RFC 5849 §3 describes: it collects the
// protocol parameters, the query parameters and, when the body is
// application/x-www-form-urlencoded, the body parameters; builds the
// signature base string (§3.4.1); signs it with the configured
// [SignatureMethod]; and places the result as Config.Placement says.
//
// Each call uses a fresh nonce (from Config.Nonce, or Config.Rand, or
// crypto/rand) and the time from Config.Now. A form body, or any body when
// Config.BodyHash is set, is read (up to Config.MaxBodyBytes; a larger one
// is an error wrapping an *http.MaxBytesError) and replaced by an
// equivalent one; req.GetBody is set if it was nil. On an error req may
// have been partly changed and should not be sent; its body is closed.
//
// A host (req.Host, or req.URL.Host) that is not ASCII is refused with
// [ErrBadRequest]: net/http sends it in its IDNA (punycode) form, the
// form the provider signs with (RFC 5849 §3.4.1.2), so the caller must
// give that form. So is a URL with Opaque set, which net/http sends in
// place of the path: to send a path with escapes of its own, such as
// %2F, set URL.RawPath (and Path) instead.
//
// A PLAINTEXT signature is the secrets themselves: Sign refuses it, with
// an error wrapping [ErrInsecureTransport], for a URL that is plain http
// to a host other than a loopback address, unless
// Config.InsecureAllowHTTP is set.
//
// Sign keeps nothing between calls, and is safe for concurrent use on
// different requests. A [Transport] signs faster: it prepares its HMAC
// once.
func (c *Config) Sign(req *http.Request, tok *Token) error {
	var cr credentials
	if tok != nil {
		cr.token, cr.tokenSecret = tok.Token, tok.Secret
	}
	st := bareStates.Get().(*signState)
	defer putBare(st)
	return c.sign(req, &cr, st)
}

// SigningKey returns the RFC 5849 §3.4.2 key of the HMAC and PLAINTEXT
// methods: the encoded consumer secret, '&', the encoded token secret.
func SigningKey(consumerSecret, tokenSecret string) string {
	return string(appendKey(nil, consumerSecret, tokenSecret))
}

func appendKey(dst []byte, consumerSecret, tokenSecret string) []byte {
	dst = urlenc.AppendEscape(dst, consumerSecret)
	dst = append(dst, '&')
	return urlenc.AppendEscape(dst, tokenSecret)
}

// credentials are what a signing sends and signs with besides the
// consumer's: the token and its secret, and for the token requests the
// callback (RFC 5849 §2.1) or the verifier (§2.3).
type credentials struct {
	token, tokenSecret string
	callback, verifier string
}

// nonceBytes is how many random bytes, and letters or digits, an
// oauth_nonce is made of.
const nonceBytes = 30

// alphanumerics are the characters of an oauth_nonce. The string is
// math/big's digits, which net/http links already: a program that signs
// shares their bytes.
const alphanumerics = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

var (
	errNoURL     = errors.New("oauth1: request has no URL")
	errPlacement = errors.New("oauth1: unknown placement")
)

// sign signs req for cr with st (see signSteps). On an error it closes
// req's body unless signSteps read and closed it already: the caller's
// body is closed on every error path, once.
func (c *Config) sign(req *http.Request, cr *credentials, st *signState) error {
	err := c.signSteps(req, cr, st)
	if err != nil && hasBody(req) {
		req.Body.Close()
	}
	return err
}

// signSteps signs req in five steps: draw the nonce and read the body
// when it is signed; list the protocol parameters; collect every
// parameter; build the base string and sign it; place the protocol
// parameters and the signature.
func (c *Config) signSteps(req *http.Request, cr *credentials, st *signState) (err error) {
	if req.URL == nil {
		return errNoURL
	}
	if c.Placement < InHeader || c.Placement > InFormBody {
		return errPlacement
	}
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	for i := 0; i < len(host); i++ {
		if host[i] >= 0x80 || req.URL.Opaque != "" {
			// net/http sends the IDNA (punycode) form of the host, and
			// URL.Opaque as the path: what the provider signs with and
			// the base string would not have. ErrBadRequest unwrapped,
			// and one test for both: the Client program is at its
			// binary-size budget (.ci/binsize).
			return ErrBadRequest
		}
	}
	method := c.method()
	if method.Name() == "PLAINTEXT" && !c.InsecureAllowHTTP && !isHTTPS(req.URL) && !urlenc.IsLoopback(req.URL.Hostname()) {
		// The signature is the secrets themselves.
		return fmt.Errorf("%w: %.64q", ErrInsecureTransport, req.URL.Host)
	}
	ct := req.Header.Get("Content-Type")
	form := isForm(ct)
	if c.Placement == InFormBody && !form {
		if hasBody(req) || ct != "" {
			return fmt.Errorf("oauth1: content type %.64q: %w", ct, ErrNotForm)
		}
		form = true
	}

	// 1. The nonce and the timestamp (RFC 5849 §3.3) and, when it is
	// signed, the body: a form body parameter by parameter, any other by
	// its hash (Config.BodyHash). They are read into st.out, where step 5
	// appends what it places: the body and what is placed become one
	// string, one allocation.
	b := st.out
	nonce := ""
	if c.Nonce != nil {
		nonce, err = c.Nonce()
	} else if c.Rand != nil {
		_, err = io.ReadFull(c.Rand, st.nonce[:nonceBytes])
	} else {
		_, err = rand.Read(st.nonce[:nonceBytes])
	}
	if err != nil {
		return fmt.Errorf("oauth1: nonce: %w", err)
	}
	if c.Nonce == nil {
		// Letters and digits only, one per random byte modulo 62: about
		// 178 bits. Providers built on oauthlib accept 20 to 30 of them
		// and nothing else by default, NetSuite 6 to 64.
		for _, r := range st.nonce[:nonceBytes] {
			b = append(b, alphanumerics[r%62])
		}
	}
	nonceEnd := len(b)
	b = strconv.AppendInt(b, c.now().Unix(), 10)
	timeEnd := len(b)
	readBody := hasBody(req) && (form || c.BodyHash)
	if readBody {
		b, err = readAll(b, req.Body, c.maxBody())
		req.Body.Close()
		req.Body = http.NoBody // until it is replaced, once signed
	}
	st.out = b // on an error too: putBare clears what was read
	if err != nil {
		return err
	}
	bodyHash := ""
	if c.BodyHash && !form {
		h := sha1.New()
		h.Write(b[timeEnd:])
		bodyHash = base64.StdEncoding.EncodeToString(h.Sum(nil))
	}
	// Views of st.out, which nothing changes until signing is done: the
	// parameters are copied from them, and the body is copied with what
	// is placed.
	v := unsafe.String(unsafe.SliceData(b), len(b))
	if c.Nonce == nil {
		nonce = v[:nonceEnd]
	}
	timestamp, body := v[nonceEnd:timeEnd], v[timeEnd:]

	// 2. The protocol parameters (§3.1), in the order oauthlib sends
	// them, so that its published output is reproduced byte for byte;
	// the optional ones only when set. They are written as they are
	// placed (§3.5).
	st.eq, st.sep = "=", "&"
	if c.Placement == InHeader {
		st.eq, st.sep = `="`, `", `
	}
	st.add("oauth_nonce", nonce)
	st.add("oauth_timestamp", timestamp)
	if !c.OmitVersion {
		st.add("oauth_version", "1.0")
	}
	st.add("oauth_signature_method", method.Name())
	st.add("oauth_consumer_key", c.ConsumerKey)
	if cr.token != "" {
		st.add("oauth_token", cr.token)
	}
	if cr.callback != "" {
		st.add("oauth_callback", cr.callback)
	}
	if cr.verifier != "" {
		st.add("oauth_verifier", cr.verifier)
	}
	if bodyHash != "" {
		st.add("oauth_body_hash", bodyHash)
	}
	nProtocol := len(st.enc)

	// 3. Every parameter (§3.4.1.3.1): the protocol parameters, the
	// query's and the form body's.
	err = st.addForm(req.URL.RawQuery)
	if err == nil && form {
		err = st.addForm(body)
	}
	if err != nil {
		return fmt.Errorf("%w: query or form body: %w", ErrBadRequest, err)
	}

	// 4. The signature base string (§3.4.1) and its signature (§3.4.2 to
	// §3.4.4), in Base64.
	base := st.baseString(req)
	if st.mac != nil {
		st.mac.Reset()
		st.mac.Write(base)
		st.key = st.mac.Sum(st.key[:0]) // the MAC, which nothing else needs
		st.sig = appendBase64(st.sig[:0], st.key)
	} else {
		st.key = appendKey(st.key[:0], c.ConsumerSecret, cr.tokenSecret)
		if st.sig, err = method.AppendSign(st.sig[:0], st.key, base); err != nil {
			return err
		}
	}

	// 5. The protocol parameters and the signature, where
	// Config.Placement says (§3.5); the body, if read, replaced.
	// The body and what is placed are one string (one allocation), and
	// the Authorization header's value is kept with the body's reader.
	// In a form body what is placed is the body: the read one is left out.
	c.place(req, st, st.enc[:nProtocol], body)
	from, n := timeEnd, len(body)
	if c.Placement == InFormBody {
		from, n = len(b), 0
	}
	all := string(st.out[from:])
	body, placed := all[:n], all[n:]
	if req.Header == nil {
		req.Header = make(http.Header)
	}
	sent := new(stringBody)
	switch c.Placement {
	case InHeader:
		sent.auth[0] = placed
		req.Header["Authorization"] = sent.auth[:]
	case InQuery:
		req.URL.RawQuery = placed
	default:
		if ct == "" {
			req.Header["Content-Type"] = []string{formType}
		}
		req.GetBody = nil // the unsigned body's
		body, readBody = placed, true
	}
	if readBody {
		sent.s = body
		setBody(req, sent)
	}
	return nil
}

// place appends to st.out the protocol parameters, as enc has them, and
// the signature, as Config.Placement places them (RFC 5849 §3.5): after
// "OAuth " and the realm for the Authorization header, or after the
// parameters of the query or of the form body.
func (c *Config) place(req *http.Request, st *signState, enc []byte, body string) {
	out := st.out
	switch c.Placement {
	case InHeader:
		out = append(out, "OAuth "...)
		if realm := c.realm(); realm != "" {
			out = append(out, `realm="`...)
			out = appendQuoted(out, realm)
			out = append(out, `", `...)
		}
	case InQuery:
		out = appendParams(out, req.URL.RawQuery)
	default:
		out = appendParams(out, body)
	}
	out = append(out, enc...)
	out = append(out, "oauth_signature"...)
	out = append(out, st.eq...)
	out = urlenc.AppendEscapeBytes(out, st.sig)
	st.out = append(out, st.eq[1:]...) // the closing quote, if any
}

// appendBase64 appends the standard Base64 encoding of mac, a MAC of at
// most 64 bytes, to dst.
func appendBase64(dst, mac []byte) []byte {
	n := len(dst)
	dst = append(dst, make([]byte, (len(mac)+2)/3*4)...) // its padded length
	base64.StdEncoding.Encode(dst[n:], mac)
	return dst
}

// appendParams appends the parameters of a query or form body, and the
// '&' that the next one needs, if there are any.
func appendParams(dst []byte, params string) []byte {
	if params == "" {
		return dst
	}
	dst = append(dst, params...)
	return append(dst, '&')
}

// appendQuoted appends s as the inside of an RFC 2617 quoted-string: '"'
// and '\' are backslash-escaped, control bytes dropped.
func appendQuoted(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
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

func isHTTPS(u *url.URL) bool { return strings.ToLower(u.Scheme) == "https" }

// isForm reports whether a Content-Type names
// application/x-www-form-urlencoded, parameters such as charset allowed.
func isForm(ct string) bool {
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	return strings.ToLower(strings.TrimSpace(ct)) == formType
}

const formType = "application/x-www-form-urlencoded"

func hasBody(req *http.Request) bool {
	return req.Body != nil && req.Body != http.NoBody
}

// readAll appends what body holds to dst, at most limit bytes. A longer
// body is an error wrapping an *http.MaxBytesError.
func readAll(dst []byte, body io.Reader, limit int64) ([]byte, error) {
	start := len(dst)
	var err error
	for err == nil {
		if len(dst) == cap(dst) {
			dst = append(dst, 0)[:len(dst)]
		}
		var n int
		n, err = body.Read(dst[len(dst):cap(dst)])
		dst = dst[:len(dst)+n]
		if int64(len(dst)-start) > limit {
			err = &http.MaxBytesError{Limit: limit}
		}
	}
	if err == io.EOF {
		return dst, nil
	}
	return dst, fmt.Errorf("oauth1: request body: %w", err)
}

// setBody sets req's body to body: Body, ContentLength, and GetBody if it
// is nil.
func setBody(req *http.Request, body *stringBody) {
	s := body.s
	req.Body = body
	req.ContentLength = int64(len(s))
	if req.GetBody == nil {
		req.GetBody = func() (io.ReadCloser, error) { return &stringBody{s: s}, nil }
	}
}

// stringBody is a request body that reads s. A request signed with the
// Authorization header holds the header's value in auth, so that one
// allocation serves both.
type stringBody struct {
	s    string
	auth [1]string
}

func (b *stringBody) Read(p []byte) (int, error) {
	if b.s == "" {
		return 0, io.EOF
	}
	n := copy(p, b.s)
	b.s = b.s[n:]
	return n, nil
}

func (*stringBody) Close() error { return nil }
