package fakeprovider

// Reading OAuth 2 requests and writing JSON and error responses.

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// oauth2Error is an RFC 6749 §5.2 error response.
type oauth2Error struct {
	status int
	code   string
	desc   string
	// basic adds a Basic WWW-Authenticate challenge (RFC 6749 §5.2: the
	// client used the Authorization header).
	basic bool
}

func errInvalidRequest(desc string) *oauth2Error {
	return &oauth2Error{status: http.StatusBadRequest, code: "invalid_request", desc: desc}
}

func errInvalidGrant(desc string) *oauth2Error {
	return &oauth2Error{status: http.StatusBadRequest, code: "invalid_grant", desc: desc}
}

func errInvalidClient(desc string, basic bool) *oauth2Error {
	return &oauth2Error{status: http.StatusUnauthorized, code: "invalid_client", desc: desc, basic: basic}
}

func (e *oauth2Error) params() urlenc.Params {
	p := urlenc.Params{{Key: "error", Value: e.code}}
	if e.desc != "" {
		p.Add("error_description", e.desc)
	}
	return p
}

// oauth2WriteJSON writes v as a JSON response that must not be cached.
func oauth2WriteJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "fakeprovider: encoding response: "+err.Error(), http.StatusInternalServerError)
		return
	}
	oauth2WriteBody(w, status, "application/json", body)
}

func oauth2WriteBody(w http.ResponseWriter, status int, contentType string, body []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	w.WriteHeader(status)
	w.Write(body)
}

// oauth2WriteError writes e as JSON.
func oauth2WriteError(w http.ResponseWriter, e *oauth2Error) {
	if e.basic {
		w.Header().Set("WWW-Authenticate", `Basic realm="fakeprovider"`)
	}
	m := map[string]string{"error": e.code}
	if e.desc != "" {
		m["error_description"] = e.desc
	}
	oauth2WriteJSON(w, e.status, m)
}

// oauth2MethodAllowed answers 405 with a reason unless r uses one of methods.
func oauth2MethodAllowed(w http.ResponseWriter, r *http.Request, methods ...string) bool {
	for _, m := range methods {
		if r.Method == m {
			return true
		}
	}
	allow := methods[0]
	for _, m := range methods[1:] {
		allow += ", " + m
	}
	w.Header().Set("Allow", allow)
	http.Error(w, "fakeprovider: "+r.URL.Path+" accepts "+allow+", not "+r.Method, http.StatusMethodNotAllowed)
	return false
}

// oauth2ReadForm reads an application/x-www-form-urlencoded POST body
// strictly (see oauth2ReadBody) and checks its parameters (see
// oauth2CheckParams).
func oauth2ReadForm(w http.ResponseWriter, r *http.Request) (urlenc.Params, *oauth2Error) {
	p, e := oauth2ReadBody(w, r)
	if e != nil {
		return nil, e
	}
	return oauth2CheckParams(p)
}

// oauth2ReadBody reads an application/x-www-form-urlencoded POST body: the
// content type must say so and the body is at most 1 MiB. It returns the
// parameters as sent.
func oauth2ReadBody(w http.ResponseWriter, r *http.Request) (urlenc.Params, *oauth2Error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/x-www-form-urlencoded" {
		return nil, errInvalidRequest("content type must be application/x-www-form-urlencoded")
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, oauth2MaxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, &oauth2Error{status: http.StatusRequestEntityTooLarge, code: "invalid_request", desc: "request body too large"}
		}
		return nil, errInvalidRequest("reading request body failed")
	}
	p, err := urlenc.ParseForm(string(body))
	if err != nil {
		return nil, errInvalidRequest("malformed form body")
	}
	return p, nil
}

// oauth2CheckParams returns the parameters of a request to an endpoint of
// RFC 6749 (and its extensions) as the endpoint understands them: those
// sent without a value left out, as if omitted (RFC 6749 §3.1, §3.2). A
// parameter sent more than once is invalid_request, unless an extension
// defines it as repeatable: resource (RFC 8707 §2) and audience (RFC 8693
// §2.1). A resource must be an absolute URI without a fragment, or the
// request is invalid_target (RFC 8707 §2).
func oauth2CheckParams(p urlenc.Params) (urlenc.Params, *oauth2Error) {
	p = oauth2OmitEmpty(p)
	for i, kv := range p {
		if p[:i].Has(kv.Key) && kv.Key != "resource" && kv.Key != "audience" {
			return nil, errInvalidRequest("parameter " + kv.Key + " repeated")
		}
		if kv.Key == "resource" {
			if u, err := url.Parse(kv.Value); err != nil || !u.IsAbs() || strings.Contains(kv.Value, "#") {
				return nil, &oauth2Error{status: http.StatusBadRequest, code: "invalid_target", desc: "resource must be an absolute URI without a fragment"}
			}
		}
	}
	return p, nil
}

// oauth2OmitEmpty returns p without the parameters sent without a value
// (RFC 6749 §3.1, §3.2).
func oauth2OmitEmpty(p urlenc.Params) urlenc.Params {
	out := make(urlenc.Params, 0, len(p))
	for _, kv := range p {
		if kv.Value != "" {
			out = append(out, kv)
		}
	}
	return out
}
