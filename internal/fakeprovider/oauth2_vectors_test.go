package fakeprovider

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/oauthkit/oauth/internal/urlenc"
)

// TestOAuth2TokenRequestVectors replays the token_request vectors' raw
// requests (RFC 6749, RFC 8628, RFC 7009, RFC 7662) against a provider that
// knows their client, user, code and tokens, and expects each to succeed.
func TestOAuth2TokenRequestVectors(t *testing.T) {
	s := o2Server(t, func(o *OAuth2) {
		o.Clients["s6BhdRkqt3"] = &OAuth2Client{ID: "s6BhdRkqt3", Secret: "gX1fBat3bV", AuthMethod: "client_secret_basic", RedirectURIs: []string{"https://client.example.com/cb"}}
		o.Clients["1406020730"] = &OAuth2Client{ID: "1406020730", AuthMethod: "none"}
		o.Users["johndoe"] = "A3ddj3w"
		o.DeviceScript = []string{"approve"}
		now := o.now()
		o.codes["SplxlOBeZQQYbYS6WxSbIA"] = &oauth2Code{clientID: "s6BhdRkqt3", redirectURI: "https://client.example.com/cb", exp: now.Add(time.Minute), family: 1}
		o.refresh["tGzv3JOkF0XG5Qx2TlKWIA"] = &oauth2Token{family: 2, clientID: "s6BhdRkqt3", iat: now}
		o.refresh["45ghiukldjahdnhzdauz"] = &oauth2Token{family: 3, clientID: "s6BhdRkqt3", iat: now}
		o.access["mF_9.B5f-4.1JqM"] = &oauth2Token{family: 4, clientID: "s6BhdRkqt3", iat: now, exp: now.Add(time.Hour)}
		o.devices["GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS"] = &oauth2Device{clientID: "1406020730", userCode: "WDJB-MJHT", exp: now.Add(time.Minute)}
		o.families = 10
	})
	paths := map[string]string{
		"/token":                OAuth2TokenPath,
		"/device_authorization": OAuth2DevicePath,
		"/revoke":               OAuth2RevokePath,
		"/introspect":           OAuth2IntrospectPath,
	}
	for _, v := range loadVectors(t, "token_request") {
		t.Run(v.ID, func(t *testing.T) {
			var in struct {
				Method  string            `json:"method"`
				Path    string            `json:"path"`
				Headers map[string]string `json:"headers"`
				Body    string            `json:"body"`
			}
			var want struct {
				ClientID     *string           `json:"client_id"`
				ClientSecret *string           `json:"client_secret"`
				Params       map[string]string `json:"params"`
			}
			unmarshal(t, v.Input, &in)
			unmarshal(t, v.Expected, &want)

			// What the provider decodes: the Basic credentials and the form.
			if h := in.Headers["Authorization"]; h != "" {
				id, secret, ok := oauth2ParseBasic(strings.TrimPrefix(h, "Basic "), false)
				if !ok || want.ClientID == nil || id != *want.ClientID || secret != *want.ClientSecret {
					t.Errorf("Basic credentials decode to %q, %q, %v; want %v, %v", id, secret, ok, want.ClientID, want.ClientSecret)
				}
			}
			form, err := urlenc.ParseForm(in.Body)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, kv := range form {
				got[kv.Key] = kv.Value
			}
			if diff := cmp.Diff(want.Params, got); diff != "" {
				t.Errorf("form mismatch (-want +got):\n%s", diff)
			}

			path, ok := paths[in.Path]
			if !ok {
				t.Fatalf("no endpoint for %q", in.Path)
			}
			req, err := http.NewRequest(in.Method, s.URL+path, strings.NewReader(in.Body))
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range in.Headers {
				req.Header.Set(k, v)
			}
			r := o2Do(t, s.Client(), req)
			if r.status != http.StatusOK {
				t.Fatalf("replay: %d %s, want 200", r.status, r.body)
			}
		})
	}
	if got := introspect(t, s, "mF_9.B5f-4.1JqM")["active"]; got != true {
		t.Errorf("introspected vector token: active = %v, want true", got)
	}
	if got := introspect(t, s, "45ghiukldjahdnhzdauz")["active"]; got != false {
		t.Errorf("revoked vector token: active = %v, want false", got)
	}
}

// TestOAuth2BasicAuthVectors sends the basic_auth vectors' Authorization
// headers for clients registered with their credentials: form-encoded
// headers pass a decoding provider, the raw one only a RawBasic client.
func TestOAuth2BasicAuthVectors(t *testing.T) {
	for _, v := range loadVectors(t, "basic_auth") {
		t.Run(v.ID, func(t *testing.T) {
			var in struct {
				ClientID     string `json:"client_id"`
				ClientSecret string `json:"client_secret"`
				Encoding     string `json:"encoding"`
			}
			var want struct {
				Authorization           string `json:"authorization"`
				EquivalentGoQueryEscape string `json:"equivalent_go_queryescape"`
			}
			unmarshal(t, v.Input, &in)
			unmarshal(t, v.Expected, &want)
			raw := in.Encoding == "raw"
			s := o2Server(t, func(o *OAuth2) {
				o.Clients = map[string]*OAuth2Client{in.ClientID: {ID: in.ClientID, Secret: in.ClientSecret, AuthMethod: "client_secret_basic", RawBasic: raw}}
			})
			send := func(header string) o2Resp {
				req, _ := http.NewRequest(http.MethodPost, s.URL+OAuth2TokenPath, strings.NewReader("grant_type=client_credentials"))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Authorization", header)
				return o2Do(t, s.Client(), req)
			}
			send(want.Authorization).wantOK(t)
			if want.EquivalentGoQueryEscape != "" {
				send(want.EquivalentGoQueryEscape).wantOK(t)
			}
			// The other encoding must fail when it differs.
			other := urlenc.RawBasicAuth(in.ClientID, in.ClientSecret)
			if raw {
				other = urlenc.BasicAuth(in.ClientID, in.ClientSecret)
			}
			if other != want.Authorization {
				send(other).wantError(t, http.StatusUnauthorized, "invalid_client")
			}
		})
	}
}

// TestOAuth2ErrorCodes checks that token endpoint errors use the codes
// RFC 6749 §5.2 registers (the error_response vector's list).
func TestOAuth2ErrorCodes(t *testing.T) {
	var registered []string
	for _, v := range loadVectors(t, "error_response") {
		var want struct {
			Codes []string `json:"registered_codes"`
		}
		unmarshal(t, v.Expected, &want)
		registered = append(registered, want.Codes...)
	}
	s := o2Server(t, nil)
	auth := basicAuth("basic-client", "basic-secret")
	for _, form := range []urlenc.Params{
		params("grant_type", "nope"),
		params("grant_type", "password", "username", "alice"),
		params("grant_type", "refresh_token", "refresh_token", "x", "scope", "all"),
		params(),
	} {
		code := post(t, s, OAuth2TokenPath, auth, form).str(t, "error")
		found := false
		for _, c := range registered {
			found = found || c == code
		}
		if !found {
			t.Errorf("form %q: error %q is not an RFC 6749 §5.2 code %v", form.Encode(), code, registered)
		}
	}
}
