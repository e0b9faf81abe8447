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
	return c.sign(req, &cr, newSignState())
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

// nonceBytes is how many random bytes an oauth_nonce is made of.
const nonceBytes = 32

// sign signs req for cr in five steps: draw the nonce and read the body
// when it is signed; list the protocol parameters; collect every
// parameter; build the base string and sign it; place the protocol
// parameters and the signature.
func (c *Config) sign(req *http.Request, cr *credentials, st *signState) (err error) {
	// The caller's body is closed on every error, once.
	orig, withBody := req.Body, req.Body != nil && req.Body != http.NoBody
	closeOnErr := withBody
	defer func() {
		if err != nil && closeOnErr {
			orig.Close()
		}
	}()
	if req.URL == nil {
		return errors.New("oauth1: request has no URL")
	}
	if c.Placement < InHeader || c.Placement > InFormBody {
		return errors.New("oauth1: unknown placement")
	}
	method := c.method()
	if method.Name() == Plaintext.Name() && !c.InsecureAllowHTTP && !isHTTPS(req.URL) && !urlenc.IsLoopback(req.URL.Hostname()) {
		// The signature is the secrets themselves.
		return fmt.Errorf("%w: %.64q", ErrInsecureTransport, req.URL.Host)
	}
	ct := req.Header.Get("Content-Type")
	form := isForm(ct)
	if c.Placement == InFormBody && !form {
		if withBody || ct != "" {
			return fmt.Errorf("oauth1: content type %.64q: %w", ct, ErrNotForm)
		}
		form = true
	}

	// 1. The nonce and the timestamp (RFC 5849 §3.3) and, when it is
	// signed, the body: a form body parameter by parameter, any other by
	// its hash (Config.BodyHash). They are read into one buffer and made
	// one string: one allocation for the three.
	nonce := ""
	b := st.tmp[:0]
	if c.Nonce != nil {
		nonce, err = c.Nonce()
	} else if c.Rand != nil {
		_, err = io.ReadFull(c.Rand, st.nonce[:])
	} else {
		_, err = io.ReadFull(rand.Reader, st.nonce[:])
	}
	if err != nil {
		return fmt.Errorf("oauth1: nonce: %w", err)
	}
	if c.Nonce == nil {
		b = base64.RawURLEncoding.AppendEncode(b, st.nonce[:])
	}
	nonceEnd := len(b)
	b = strconv.AppendInt(b, c.now().Unix(), 10)
	timeEnd := len(b)
	readBody := withBody && (form || c.BodyHash)
	if readBody {
		closeOnErr = false // readAll closes it
		if b, err = readAll(b, req.Body, c.maxBody()); err != nil {
			return err
		}
	}
	st.tmp = b
	all := string(b)
	if c.Nonce == nil {
		nonce = all[:nonceEnd]
	}
	timestamp, body := all[nonceEnd:timeEnd], all[timeEnd:]
	if readBody {
		req.Body = &stringBody{body}
		req.ContentLength = int64(len(body))
		if req.GetBody == nil {
			req.GetBody = func() (io.ReadCloser, error) { return &stringBody{body}, nil }
		}
	}

	// 2. The protocol parameters (§3.1), in the order they are sent.
	bodyHash := ""
	if c.BodyHash && !form {
		h := sha1.New()
		io.WriteString(h, body)
		bodyHash = base64.StdEncoding.EncodeToString(h.Sum(nil))
	}
	c.protocolParams(st, cr, nonce, timestamp, bodyHash)

	// 3. Every parameter (§3.4.1.3.1): the protocol parameters, the
	// query's and the form body's.
	params := append(urlenc.Params(st.params[:0]), st.oauth...)
	params, err = urlenc.AppendParseForm(params, req.URL.RawQuery)
	if err == nil && form {
		params, err = urlenc.AppendParseForm(params, body)
	}
	if err != nil {
		return fmt.Errorf("oauth1: query or form body: %w: %w", ErrBadRequest, err)
	}
	st.params = paramList(params)

	// 4. The signature base string (§3.4.1) and its signature (§3.4.2 to
	// §3.4.4).
	base := st.baseString(req)
	if st.mac != nil {
		st.mac.Reset()
		st.mac.Write(base)
		st.tmp = st.mac.Sum(st.tmp[:0])
		st.sig = base64.StdEncoding.AppendEncode(st.sig[:0], st.tmp)
	} else {
		st.key = appendKey(st.key[:0], c.ConsumerSecret, cr.tokenSecret)
		if st.sig, err = method.AppendSign(st.sig[:0], st.key, base); err != nil {
			return err
		}
	}

	// 5. The protocol parameters and the signature, where
	// Config.Placement says (§3.5).
	c.place(req, st, body)
	return nil
}

// protocolParams sets st.oauth to the protocol parameters: the nonce, the
// timestamp, the version unless omitted, the signature method, the
// consumer key, and those of cr and bodyHash that are set. They are in
// the order oauthlib sends them, so that its published output is
// reproduced byte for byte.
func (c *Config) protocolParams(st *signState, cr *credentials, nonce, timestamp, bodyHash string) {
	version := "1.0"
	if c.OmitVersion {
		version = ""
	}
	all := [...]urlenc.Param{
		{Key: "oauth_nonce", Value: nonce},
		{Key: "oauth_timestamp", Value: timestamp},
		{Key: "oauth_version", Value: version},
		{Key: "oauth_signature_method", Value: c.method().Name()},
		{Key: "oauth_consumer_key", Value: c.ConsumerKey},
		{Key: "oauth_token", Value: cr.token},
		{Key: "oauth_callback", Value: cr.callback},
		{Key: "oauth_verifier", Value: cr.verifier},
		{Key: "oauth_body_hash", Value: bodyHash},
	}
	st.oauth = st.oauth[:0]
	for i, p := range all {
		// oauth_version and the parameters after oauth_consumer_key are
		// optional: left out when empty.
		if optional := i == 2 || i > 4; p.Value != "" || !optional {
			st.oauth = append(st.oauth, p)
		}
	}
}

// place writes the protocol parameters and the signature where
// Config.Placement says (RFC 5849 §3.5), percent-encoded: as name="value"
// pairs after "OAuth " and the realm, comma-separated, in the
// Authorization header; as name=value pairs after what is there,
// &-separated, in the query or in the form body.
func (c *Config) place(req *http.Request, st *signState, body string) {
	out, sep, quote := st.tmp[:0], "&", ""
	switch c.Placement {
	case InHeader:
		out = append(out, "OAuth "...)
		if realm := c.realm(); realm != "" {
			out = append(out, `realm="`...)
			out = appendQuoted(out, realm)
			out = append(out, `", `...)
		}
		sep, quote = ", ", `"`
	case InQuery:
		out = appendParams(out, req.URL.RawQuery)
	default:
		out = appendParams(out, body)
	}
	for _, p := range st.oauth {
		out = append(out, p.Key...)
		out = append(out, '=')
		out = append(out, quote...)
		out = urlenc.AppendEscape(out, p.Value)
		out = append(out, quote...)
		out = append(out, sep...)
	}
	out = append(out, "oauth_signature="...)
	out = append(out, quote...)
	out = urlenc.AppendEscapeBytes(out, st.sig)
	out = append(out, quote...)
	st.tmp = out

	s := string(out)
	switch c.Placement {
	case InHeader:
		v := st.header
		if v == nil {
			v = make([]string, 1)
		}
		v[0] = s
		if req.Header == nil {
			req.Header = make(http.Header)
		}
		req.Header["Authorization"] = v
	case InQuery:
		req.URL.RawQuery = s
	default:
		setBody(req, s)
		if req.Header == nil {
			req.Header = make(http.Header)
		}
		if req.Header.Get("Content-Type") == "" {
			req.Header.Set("Content-Type", formType)
		}
	}
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

// readAll appends what body holds to dst, at most limit bytes, and
// closes it. A longer body is an error wrapping an *http.MaxBytesError.
func readAll(dst []byte, body io.ReadCloser, limit int64) ([]byte, error) {
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
	body.Close()
	if err == io.EOF {
		return dst, nil
	}
	return dst, fmt.Errorf("oauth1: request body: %w", err)
}

// setBody sets req's body to s: Body, ContentLength and GetBody.
func setBody(req *http.Request, s string) {
	req.Body = &stringBody{s}
	req.ContentLength = int64(len(s))
	req.GetBody = func() (io.ReadCloser, error) { return &stringBody{s}, nil }
}

// stringBody is a request body that reads s.
type stringBody struct{ s string }

func (b *stringBody) Read(p []byte) (int, error) {
	if b.s == "" {
		return 0, io.EOF
	}
	n := copy(p, b.s)
	b.s = b.s[n:]
	return n, nil
}

func (*stringBody) Close() error { return nil }
