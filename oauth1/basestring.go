package oauth1

import (
	"hash"
	"net/http"
	"sort"
	"strings"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// The signature base string (RFC 5849 §3.4.1). [Config.Sign] and
// [Verifier.Verify] both build it with signState.baseString, so the two
// cannot disagree.

// signState is the scratch space of one signing or verification. A
// [Transport] keeps a pool of them, each with the HMAC of its secrets
// prepared (mac); Sign and Verify make a new one each time.
type signState struct {
	params paramList      // every parameter of the request but oauth_signature
	oauth  []urlenc.Param // the protocol parameters sent, in the order sent
	base   []byte         // the signature base string
	tmp    []byte         // in turn: the nonce, timestamp and body; the method and URI; the MAC; what is placed
	key    []byte         // the RFC 5849 §3.4.2 key
	sig    []byte         // the signature, Base64
	nonce  [nonceBytes]byte

	// mac is the HMAC of a Transport's method under its key, reused with
	// Reset; nil when the method signs with the key.
	mac hash.Hash
	// header, if set, is where the Authorization value goes: a Transport
	// makes room for it in its copy of the request's header.
	header []string

	// The first array of the byte buffers, large enough for a typical
	// request.
	bytes [1280]byte
}

// newSignState returns a signState whose buffers hold a typical request
// without growing.
func newSignState() *signState {
	st := new(signState)
	st.base, st.tmp = st.bytes[0:0:512], st.bytes[512:512:1024]
	st.key, st.sig = st.bytes[1024:1024:1152], st.bytes[1152:1152:1280]
	p := make([]urlenc.Param, 16+9)
	st.params, st.oauth = p[0:0:16], p[16:16:25]
	return st
}

// baseString sets st.base to the signature base string (RFC 5849
// §3.4.1.1) of req with the parameters in st.params, which it sorts: the
// method in upper case, the base string URI and the normalized
// parameters, each encoded, joined by '&'.
func (st *signState) baseString(req *http.Request) []byte {
	st.tmp = appendUpper(st.tmp[:0], req.Method)
	b := urlenc.AppendEscapeBytes(st.base[:0], st.tmp) // a custom method may need it
	b = append(b, '&')
	st.tmp = appendBaseURI(st.tmp[:0], req)
	b = urlenc.AppendEscapeBytes(b, st.tmp)
	b = append(b, '&')
	// The normalized parameters (§3.4.1.3.2), encoded once more: a name
	// and a value encoded twice, the '=' and '&' between them once.
	sort.Sort(&st.params)
	for i, p := range st.params {
		if i > 0 {
			b = append(b, "%26"...)
		}
		b = urlenc.AppendEscapeTwice(b, p.Key)
		b = append(b, "%3D"...)
		b = urlenc.AppendEscapeTwice(b, p.Value)
	}
	st.base = b
	return b
}

// appendUpper appends the request method in upper case; "GET" for an
// empty one, as net/http sends it.
func appendUpper(dst []byte, method string) []byte {
	if method == "" {
		return append(dst, "GET"...)
	}
	for i := 0; i < len(method); i++ {
		c := method[i]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// appendBaseURI appends the base string URI of req (RFC 5849 §3.4.1.2),
// not yet encoded: the scheme and host in lower case, the port only when
// it is not the scheme's default, and the path as sent, "/" when empty.
// The scheme is req.URL's or, for a request a server received, "https"
// with TLS and "http" without; the host is req.Host (the Host header),
// or req.URL.Host when that is empty.
func appendBaseURI(dst []byte, req *http.Request) []byte {
	scheme := strings.ToLower(req.URL.Scheme)
	if scheme == "" {
		scheme = "http"
		if req.TLS != nil {
			scheme = "https"
		}
	}
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	host, port := splitHostPort(host)
	dst = append(dst, scheme...)
	dst = append(dst, "://"...)
	dst = append(dst, strings.ToLower(host)...)
	if port != "" && !(scheme == "http" && port == "80" || scheme == "https" && port == "443") {
		dst = append(dst, ':')
		dst = append(dst, port...)
	}
	path := req.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	return append(dst, path...)
}

// splitHostPort splits host[:port], [IPv6] literals included. The port is
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

// paramList sorts parameters by encoded name, then encoded value (RFC
// 5849 §3.4.1.3.2). It is sorted through a pointer, which an interface
// holds without allocating.
type paramList []urlenc.Param

func (p *paramList) Len() int           { return len(*p) }
func (p *paramList) Less(i, j int) bool { return urlenc.CompareParams((*p)[i], (*p)[j]) < 0 }
func (p *paramList) Swap(i, j int)      { (*p)[i], (*p)[j] = (*p)[j], (*p)[i] }

// BaseStringURI returns the base string URI of req (RFC 5849 §3.4.1.2),
// not yet percent-encoded. For a client request (absolute req.URL) the
// scheme comes from req.URL and the host from req.Host, or req.URL.Host
// when that is empty; for a request received by a server, the scheme is
// "https" when req.TLS is set and the host is req.Host.
func BaseStringURI(req *http.Request) string {
	return string(appendBaseURI(nil, req))
}

// SignatureBaseString returns the signature base string (RFC 5849 §3.4.1)
// of a request as it stands, built from every parameter it carries in its
// query, form body (read, at most [DefaultMaxBodyBytes], and restored)
// and OAuth Authorization header, except oauth_signature and the header's
// realm. It is what a [Verifier] computes; on a request signed by
// [Config.Sign] it is the string that was signed. A query, body or header
// that does not parse is a *[VerifyError] wrapping ErrBadRequest.
func SignatureBaseString(req *http.Request) (string, error) {
	rc, err := collect(req, DefaultMaxBodyBytes)
	if err != nil {
		return "", err
	}
	st := newSignState()
	st.params = withoutSignature(st.params, rc.params)
	return string(st.baseString(req)), nil
}
