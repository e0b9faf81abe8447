package urlenc

import (
	"encoding/base64"
	"errors"
	"net/url"
	"strings"
)

// FormEscape encodes s as application/x-www-form-urlencoded (RFC 6749
// Appendix B): a space becomes '+', the RFC 3986 unreserved characters
// A-Z a-z 0-9 - . _ ~ stay, and every other byte becomes %XX. This is what
// url.QueryEscape produces. It returns s itself when nothing needs encoding.
func FormEscape(s string) string {
	for i := 0; i < len(s); i++ {
		if !Unreserved(s[i]) {
			return string(AppendFormEscape(make([]byte, 0, len(s)+16), s))
		}
	}
	return s
}

// AppendFormEscape appends [FormEscape](s) to dst.
func AppendFormEscape(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case Unreserved(c):
			dst = append(dst, c)
		case c == ' ':
			dst = append(dst, '+')
		default:
			dst = append(dst, '%', upperhex[c>>4], upperhex[c&15])
		}
	}
	return dst
}

// BasicAuth returns the value of an Authorization header carrying client
// credentials as RFC 6749 §2.3.1 requires: the client identifier and secret
// are each form-encoded (Appendix B, with [FormEscape]), then joined with
// ':' and Base64-encoded as in RFC 7617.
//
// HTML 4.01, which Appendix B cites, would also escape "-._~"; a decoding
// server reads both forms the same, and leaving them as they are keeps
// working the servers that do not decode, for the identifiers they accept
// (such as Google's "123-abc.apps.googleusercontent.com"), as
// golang.org/x/oauth2 does.
func BasicAuth(clientID, clientSecret string) string {
	return RawBasicAuth(FormEscape(clientID), FormEscape(clientSecret))
}

// RawBasicAuth returns an RFC 7617 Basic Authorization header value for user
// and password as given, without form-encoding them first. Some servers do
// not decode the credentials; RFC 6749 servers do, and need [BasicAuth].
func RawBasicAuth(user, password string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))
}

// AddParams returns rawURL with p appended to its query, form-encoded. The
// existing query is kept byte for byte, and so is the fragment. It fails
// only when rawURL does not parse.
func AddParams(rawURL string, p Params) (string, error) {
	if _, err := url.Parse(rawURL); err != nil {
		return "", err
	}
	if len(p) == 0 {
		return rawURL, nil
	}
	base, frag, hasFrag := strings.Cut(rawURL, "#")
	b := make([]byte, 0, len(rawURL)+32*len(p))
	b = append(b, base...)
	switch {
	case !strings.Contains(base, "?"):
		b = append(b, '?')
	case !strings.HasSuffix(base, "?") && !strings.HasSuffix(base, "&"):
		b = append(b, '&')
	}
	b = p.AppendEncode(b)
	if hasFrag {
		b = append(b, '#')
		b = append(b, frag...)
	}
	return string(b), nil
}

// Component names the part of a URL that [ParseURLParams] reads.
type Component int

const (
	// Query is the query component, where an authorization code response
	// travels (RFC 6749 §4.1.2).
	Query Component = iota
	// Fragment is the fragment component, where an implicit grant response
	// travels (RFC 6749 §4.2.2).
	Fragment
)

// ErrNoURL is returned by [ParseURLParams] for an empty URL.
var ErrNoURL = errors.New("urlenc: empty url")

// ParseURLParams parses rawURL and returns the form-encoded parameters of
// its query or its fragment.
func ParseURLParams(rawURL string, c Component) (Params, error) {
	if rawURL == "" {
		return nil, ErrNoURL
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	if c == Fragment {
		// EscapedFragment keeps the encoding as sent, so that an escaped
		// '&' or '=' inside a value is not mistaken for a separator.
		return ParseForm(u.EscapedFragment())
	}
	return ParseForm(u.RawQuery)
}
