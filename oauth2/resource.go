package oauth2

import (
	"io"
	"net/http"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// maxResourceErrorBody is how much of a failed resource response
// CheckResponse reads for the excerpt.
const maxResourceErrorBody = 64 << 10

// CheckResponse returns nil if resp, a protected resource's answer, has a 2xx
// status, and otherwise an *[Error] with Endpoint "resource", the status, a
// bounded excerpt of the body, and what the resource server's Bearer
// challenge says (RFC 6750 §3): the error code (invalid_request,
// invalid_token, insufficient_scope), its description and URI, and the
// scope needed. errors.Is(err, [ErrInvalidToken]) tells a token the server
// no longer accepts (revoked, say) from other failures. CheckResponse reads
// at most 64 KiB of the body; the caller still closes it.
func CheckResponse(resp *http.Response) error {
	if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		return nil
	}
	e := &Error{Endpoint: "resource", StatusCode: resp.StatusCode}
	for _, h := range resp.Header.Values("WWW-Authenticate") {
		p, ok, err := urlenc.ParseAuthParams(h, "Bearer")
		if !ok || err != nil {
			continue
		}
		e.ErrorCode, e.ErrorDescription = p.Get("error"), p.Get("error_description")
		e.ErrorURI, e.Scope = p.Get("error_uri"), p.Get("scope")
		break
	}
	if resp.Body != nil {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, maxResourceErrorBody))
		e.Body = excerpt(body)
	}
	return e
}
