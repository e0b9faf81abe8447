package fakeprovider

// Reading OAuth 2 requests and writing JSON and error responses.

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"

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
// strictly: the content type must say so, the body is at most 1 MiB, and no
// parameter may appear twice (RFC 6749 §3.2).
func oauth2ReadForm(w http.ResponseWriter, r *http.Request) (urlenc.Params, *oauth2Error) {
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
	for i, kv := range p {
		if p[:i].Has(kv.Key) {
			return nil, errInvalidRequest("parameter " + kv.Key + " repeated")
		}
	}
	return p, nil
}
