package oauth2

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// DeviceAuthResponse is a device authorization response (RFC 8628 §3.2),
// with golang.org/x/oauth2's name, fields and JSON form. Show the user
// VerificationURI and UserCode (or VerificationURIComplete), then call
// Config.DeviceAccessToken. DeviceCode is a credential: String and Format,
// with every fmt verb, mask it.
//
// Its JSON form is the server's response: expires_in is a number of
// seconds, written as the time left until Expiry by time.Now and read as
// an Expiry that many seconds after time.Now; verification_url (Google's
// spelling) is read as verification_uri; interval and expires_in may be
// numbers or numeric strings.
type DeviceAuthResponse struct {
	// DeviceCode identifies the authorization in the polls; a credential.
	DeviceCode string `json:"device_code"`
	// UserCode is what the user types at VerificationURI.
	UserCode string `json:"user_code"`
	// VerificationURI is where the user goes.
	VerificationURI string `json:"verification_uri"`
	// VerificationURIComplete, if set, includes the user code (for a QR
	// code or a link).
	VerificationURIComplete string `json:"verification_uri_complete,omitempty"`
	// Expiry is when the codes expire; zero if the server did not say
	// (DeviceAccessToken then polls for DefaultDeviceCodeLifetime).
	Expiry time.Time `json:"expires_in,omitempty"`
	// Interval is the polling interval in seconds; 0 when the server sent
	// none, which DeviceAccessToken reads as 5 (RFC 8628 §3.2).
	Interval int64 `json:"interval,omitempty"`
	// Message is the user instruction some servers (Microsoft) send.
	Message string `json:"message,omitempty"`
}

// deviceJSON is the JSON form of a DeviceAuthResponse.
type deviceJSON struct {
	DeviceCode              string      `json:"device_code"`
	UserCode                string      `json:"user_code"`
	VerificationURI         string      `json:"verification_uri"`
	VerificationURL         string      `json:"verification_url,omitempty"`
	VerificationURIComplete string      `json:"verification_uri_complete,omitempty"`
	ExpiresIn               json.Number `json:"expires_in,omitempty"`
	Interval                json.Number `json:"interval,omitempty"`
	Message                 string      `json:"message,omitempty"`
}

// MarshalJSON implements json.Marshaler: the RFC 8628 §3.2 response, with
// expires_in the whole seconds left until Expiry. It carries the device
// code, a credential: log/slog's JSON handler prints it whole, so log a
// DeviceAuthResponse with String, never as JSON.
func (d DeviceAuthResponse) MarshalJSON() ([]byte, error) {
	j := deviceJSON{DeviceCode: d.DeviceCode, UserCode: d.UserCode, VerificationURI: d.VerificationURI,
		VerificationURIComplete: d.VerificationURIComplete, Message: d.Message}
	if !d.Expiry.IsZero() {
		if secs := int64(time.Until(d.Expiry).Seconds()); secs > 0 {
			j.ExpiresIn = json.Number(strconv.FormatInt(secs, 10))
		}
	}
	if d.Interval > 0 {
		j.Interval = json.Number(strconv.FormatInt(d.Interval, 10))
	}
	return json.Marshal(j)
}

// UnmarshalJSON implements json.Unmarshaler, reading an RFC 8628 §3.2
// response, or what MarshalJSON writes.
func (d *DeviceAuthResponse) UnmarshalJSON(b []byte) error {
	var j deviceJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	m := map[string]any{"expires_in": j.ExpiresIn, "interval": j.Interval}
	return d.fill(m, j, time.Now(), true)
}

// fill sets d from the fields j and the raw expires_in and interval of m,
// reckoning Expiry from now. An expires_in or interval that is not a
// number is an error if strict, and ignored otherwise.
func (d *DeviceAuthResponse) fill(m map[string]any, j deviceJSON, now time.Time, strict bool) error {
	*d = DeviceAuthResponse{DeviceCode: j.DeviceCode, UserCode: j.UserCode, VerificationURI: j.VerificationURI,
		VerificationURIComplete: j.VerificationURIComplete, Message: j.Message}
	if d.VerificationURI == "" {
		d.VerificationURI = j.VerificationURL
	}
	for _, k := range []string{"expires_in", "interval"} {
		v := m[k]
		if n, ok := v.(json.Number); ok && n == "" {
			continue
		}
		secs, err := expiresIn(v)
		if err != nil && !strict {
			continue
		}
		if err != nil {
			return fmt.Errorf("oauth2: device authorization: invalid %s %q", k, clip(str(v), 64))
		}
		if k == "interval" {
			d.Interval = secs
		} else if secs > 0 {
			d.Expiry = now.Add(time.Duration(secs) * time.Second)
		}
	}
	return nil
}

// String describes d without the device code.
func (d DeviceAuthResponse) String() string {
	exp := "never"
	if !d.Expiry.IsZero() {
		exp = d.Expiry.UTC().Format(time.RFC3339)
	}
	return "oauth2.DeviceAuthResponse{DeviceCode:" + urlenc.Mask(d.DeviceCode) + " UserCode:" + strconv.Quote(d.UserCode) +
		" VerificationURI:" + strconv.Quote(d.VerificationURI) + " Expiry:" + exp +
		" Interval:" + strconv.FormatInt(d.Interval, 10) + "}"
}

// Format implements fmt.Formatter: every verb prints String (quoted for
// %q), so that no verb reaches the device code.
func (d DeviceAuthResponse) Format(f fmt.State, verb rune) { urlenc.Format(f, verb, d.String()) }

// DeviceAuth starts the device authorization grant (RFC 8628 §3.1): it
// asks Endpoint.DeviceAuthURL for a device code and a user code for
// Config.Scopes, with client authentication. Options add parameters
// (SetParam, SetAuthURLParam). ctx bounds the request; an error response
// is an *Error.
func (c *Config) DeviceAuth(ctx context.Context, opts ...Option) (*DeviceAuthResponse, error) {
	var p urlenc.Params
	if len(c.Scopes) > 0 {
		p.Add("scope", c.scope())
	}
	collect(opts).applyParams(&p, false)
	r, err := c.postForm(ctx, "device", c.Endpoint.DeviceAuthURL, p, false, nil, nil)
	if err != nil {
		return nil, err
	}
	vals, _, err := decodeResponse(r.contentType, r.body)
	if err != nil || r.status/100 != 2 || str(vals["error"]) != "" {
		if _, perr := parseTokenResponse("device", r.status, r.contentType, r.body, c.now(), r.secrets); perr != nil {
			return nil, perr
		}
		return nil, fmt.Errorf("oauth2: device endpoint: cannot parse response: %w", err)
	}
	da := &DeviceAuthResponse{}
	j := deviceJSON{DeviceCode: str(vals["device_code"]), UserCode: str(vals["user_code"]),
		VerificationURI: str(vals["verification_uri"]), VerificationURL: str(vals["verification_url"]),
		VerificationURIComplete: str(vals["verification_uri_complete"]), Message: str(vals["message"])}
	if err := da.fill(vals, j, c.now(), false); err != nil {
		return nil, err
	}
	if da.DeviceCode == "" {
		return nil, errors.New("oauth2: device endpoint: response has no device_code")
	}
	return da, nil
}

// DefaultDeviceCodeLifetime is how long DeviceAccessToken polls for a
// device authorization whose response had no expires_in (RFC 8628 §3.2
// requires it; some servers omit it or send 0): device codes commonly
// live 15 to 30 minutes.
const DefaultDeviceCodeLifetime = 30 * time.Minute

// DeviceAccessToken polls the token endpoint until the user approves or
// denies the device authorization da (RFC 8628 §3.4, §3.5), and returns
// the token. It waits da.Interval seconds before each request
// (Config.Sleep), 5 if da.Interval is not positive:
// authorization_pending continues, slow_down adds 5 seconds to the
// interval for this and every later request, a 503 with Retry-After waits
// at least that long. Decisions follow the error code, not the HTTP
// status. access_denied and expired_token end polling with an *Error
// matching ErrAccessDenied or ErrExpiredToken; so does any other error.
// No wait goes past da.Expiry, whatever the interval, slow_down or
// Retry-After say: when the next poll would come after it,
// DeviceAccessToken waits until da.Expiry and returns an *Error matching
// ErrExpiredToken, as it does when da.Expiry has passed. If da.Expiry is
// zero, the expiry is DefaultDeviceCodeLifetime after the call, so that
// polling ends even under a context without a deadline. ctx cancels the
// wait and the requests, each of which Config.Timeout bounds. Options add
// parameters to every poll. With AuthAutoDetect, the method that worked
// for one poll is used for the next.
func (c *Config) DeviceAccessToken(ctx context.Context, da *DeviceAuthResponse, opts ...Option) (*Token, error) {
	o := collect(opts)
	expiry := da.Expiry
	if expiry.IsZero() {
		expiry = c.now().Add(DefaultDeviceCodeLifetime)
	}
	// Polls send the device code again and again by design (RFC 8628
	// §3.4): with AuthAutoDetect they may fall back to the other method,
	// and what worked is kept for the later polls.
	var detect atomic.Int32
	var nonces dpopNonces       // the DPoP nonces learned by one poll serve the next
	interval := 5 * time.Second // RFC 8628 §3.2's default
	if da.Interval > 0 {
		interval = time.Duration(min(da.Interval, int64(maxRetryAfter/time.Second))) * time.Second
	}
	expired := func() error {
		return &Error{Endpoint: "token", ErrorCode: "expired_token", ErrorDescription: "device code expired before approval"}
	}
	wait := interval
	for {
		// No wait, however long the server asks for, goes past the
		// expiry: polling after it is pointless.
		left := expiry.Sub(c.now())
		if left <= 0 {
			return nil, expired()
		}
		if wait >= left {
			if err := c.sleep(ctx, left); err != nil {
				return nil, err
			}
			return nil, expired()
		}
		if err := c.sleep(ctx, wait); err != nil {
			return nil, err
		}
		if !c.now().Before(expiry) {
			return nil, expired()
		}
		p := urlenc.Params{{Key: "grant_type", Value: grantDeviceCode}, {Key: "device_code", Value: da.DeviceCode}}
		o.applyParams(&p, false)
		tok, err := c.tokenRequest(ctx, p, false, &detect, &nonces)
		if err == nil {
			return tok, nil
		}
		var e *Error
		if !errors.As(err, &e) {
			return nil, err
		}
		wait = interval
		switch {
		case e.ErrorCode == "authorization_pending":
		case e.ErrorCode == "slow_down":
			interval += 5 * time.Second
			wait = interval
		case e.StatusCode == 503 || strings.EqualFold(e.ErrorCode, "temporarily_unavailable"):
			wait = max(interval, e.RetryAfter)
		default:
			return nil, err
		}
	}
}
