package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
)

// wire is an http.RoundTripper that prints each exchange when verbose,
// with every secret redacted, and notes how each token request
// authenticated the client.
type wire struct {
	base    http.RoundTripper
	out     io.Writer
	verbose bool

	mu   sync.Mutex
	auth string // the client authentication of the last token request
}

// lastAuth returns the client authentication method the last token
// request used, as the provider saw it on the wire.
func (w *wire) lastAuth() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.auth
}

// clientAuth names the client authentication method of a token request
// (RFC 7591 §2 names): what it sent, not what the Config says.
func clientAuth(req *http.Request) string {
	if strings.HasPrefix(req.Header.Get("Authorization"), "Basic ") {
		return "client_secret_basic"
	}
	var form url.Values
	if req.GetBody != nil {
		if b, err := req.GetBody(); err == nil {
			body, _ := io.ReadAll(io.LimitReader(b, 64<<10))
			b.Close()
			form, _ = url.ParseQuery(string(body))
		}
	}
	switch {
	case form.Get("client_assertion") != "":
		head, _, _ := strings.Cut(form.Get("client_assertion"), ".")
		var h struct {
			Alg string `json:"alg"`
		}
		if b, err := base64.RawURLEncoding.DecodeString(head); err == nil && json.Unmarshal(b, &h) == nil && strings.HasPrefix(h.Alg, "HS") {
			return "client_secret_jwt"
		}
		return "private_key_jwt"
	case form.Get("client_secret") != "":
		return "client_secret_post"
	}
	return "none"
}

// secretKeys are the parameter and JSON member names whose values are never
// printed.
var secretKeys = map[string]bool{
	"client_secret": true, "password": true, "code": true, "code_verifier": true,
	"access_token": true, "refresh_token": true, "id_token": true, "device_code": true,
	"token": true, "client_assertion": true, "assertion": true, "subject_token": true,
	"oauth_token_secret": true, "oauth_verifier": true, "oauth_token": true, "oauth_signature": true,
	"nonce": true,
}

func (w *wire) RoundTrip(req *http.Request) (*http.Response, error) {
	if strings.HasSuffix(req.URL.Path, "/token") {
		auth := clientAuth(req)
		w.mu.Lock()
		w.auth = auth
		w.mu.Unlock()
	}
	if !w.verbose {
		return w.base.RoundTrip(req)
	}
	var reqBody []byte
	if req.Body != nil && req.GetBody != nil {
		if b, err := req.GetBody(); err == nil {
			reqBody, _ = io.ReadAll(io.LimitReader(b, 4096))
			b.Close()
		}
	}
	fmt.Fprintf(w.out, "   >> %s %s\n", req.Method, redactURL(req.URL))
	printHeaders(w.out, "   >> ", req.Header)
	if len(reqBody) > 0 {
		fmt.Fprintf(w.out, "   >> %s\n", redactBody(reqBody))
	}
	resp, err := w.base.RoundTrip(req)
	if err != nil {
		fmt.Fprintf(w.out, "   << error: %v\n", err)
		return nil, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	fmt.Fprintf(w.out, "   << %s\n", resp.Status)
	printHeaders(w.out, "   << ", resp.Header)
	if len(body) > 0 && !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		fmt.Fprintf(w.out, "   << %s\n", redactBody(body))
	}
	return resp, nil
}

func printHeaders(out io.Writer, prefix string, h http.Header) {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		switch k {
		case "Date", "Content-Length", "Accept-Encoding", "User-Agent", "Cache-Control", "Pragma":
			continue
		}
		for _, v := range h[k] {
			if k == "Authorization" || k == "Location" {
				v = redactHeader(v)
			}
			if k == "Dpop" && len(v) > 24 {
				v = v[:24] + "… (a DPoP proof)"
			}
			fmt.Fprintf(out, "%s%s: %s\n", prefix, k, v)
		}
	}
}

// redactHeader keeps the scheme of an Authorization header (or the URL of
// a Location header) and hides credentials.
func redactHeader(v string) string {
	if u, err := url.Parse(v); err == nil && u.Scheme != "" && u.Host != "" {
		return redactURL(u)
	}
	scheme, rest, ok := strings.Cut(v, " ")
	if !ok {
		return "[redacted]"
	}
	if scheme != "OAuth" {
		return scheme + " [redacted]"
	}
	parts := strings.Split(rest, ",")
	for i, p := range parts {
		k, _, _ := strings.Cut(strings.TrimSpace(p), "=")
		if secretKeys[k] {
			parts[i] = " " + k + `="[redacted]"`
		}
	}
	return scheme + " " + strings.TrimSpace(strings.Join(parts, ","))
}

func redactURL(u *url.URL) string {
	c := *u
	c.RawQuery = redactForm(u.RawQuery)
	if c.Fragment != "" {
		c.RawFragment = ""
		c.Fragment = redactForm(u.Fragment)
	}
	return c.String()
}

func redactForm(s string) string {
	if s == "" {
		return s
	}
	pairs := strings.Split(s, "&")
	for i, p := range pairs {
		k, _, ok := strings.Cut(p, "=")
		if ok && secretKeys[k] {
			pairs[i] = k + "=[redacted]"
		}
	}
	return strings.Join(pairs, "&")
}

// redactBody hides secret values in a JSON or form body without parsing
// it fully: it is only for display.
func redactBody(b []byte) string {
	s := string(b)
	if !strings.HasPrefix(strings.TrimSpace(s), "{") {
		return redactForm(strings.TrimSpace(s))
	}
	for k := range secretKeys {
		key := `"` + k + `":`
		for i := 0; ; {
			j := strings.Index(s[i:], key)
			if j < 0 {
				break
			}
			start := i + j + len(key)
			for start < len(s) && s[start] == ' ' {
				start++
			}
			if start < len(s) && s[start] == '"' {
				end := strings.IndexByte(s[start+1:], '"')
				if end < 0 {
					break
				}
				s = s[:start] + `"[redacted]"` + s[start+1+end+1:]
			}
			i = start
		}
	}
	return strings.TrimSpace(s)
}

// short shows the first characters of an identifier, enough to tell two
// apart in the output, and hides the rest.
func short(s string) string {
	if len(s) <= 6 {
		return "[redacted]"
	}
	return s[:6] + "…"
}
