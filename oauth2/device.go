package oauth2

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// DeviceAuth is a device authorization response (RFC 8628 §3.2). Show the
// user VerificationURI and UserCode (or VerificationURIComplete), then call
// Session.DeviceToken. DeviceCode is a credential: String and Format redact
// it.
//
// DeviceAuth is the parsed form, as Session.DeviceAuth returns it; its JSON
// form is for saving it between processes and round-trips exactly (Interval
// to the second). Expiry is absolute, so decoding a raw server response into
// it leaves Expiry zero: parse responses with Session.DeviceAuth.
type DeviceAuth struct {
	// DeviceCode identifies the authorization in the polls; a credential.
	DeviceCode string `json:"device_code"`
	// UserCode is what the user types at VerificationURI.
	UserCode string `json:"user_code"`
	// VerificationURI is where the user goes (Google's verification_url is
	// read into it too).
	VerificationURI string `json:"verification_uri"`
	// VerificationURIComplete, if set, includes the user code (for a QR
	// code or a link).
	VerificationURIComplete string `json:"verification_uri_complete,omitempty"`
	// Expiry is when the codes expire; zero if the server did not say.
	Expiry time.Time `json:"expiry,omitempty"`
	// Interval is the polling interval; 5 seconds when the server sent none.
	// In JSON it is whole seconds, as in RFC 8628 §3.2 (rounded up, so a
	// saved DeviceAuth never polls faster than asked), not nanoseconds.
	Interval time.Duration `json:"interval,omitempty"`
	// Message is the optional user instruction some servers (Microsoft) send.
	Message string `json:"message,omitempty"`
}

// deviceAuthFields is DeviceAuth without its methods.
type deviceAuthFields DeviceAuth

// deviceAuthJSON is the JSON form of DeviceAuth: its Interval, at a lower
// depth, hides the time.Duration one.
type deviceAuthJSON struct {
	deviceAuthFields
	Interval json.Number `json:"interval,omitempty"`
}

// MarshalJSON implements json.Marshaler, with Interval in whole seconds
// (rounded up) as RFC 8628 §3.2 sends it.
func (d DeviceAuth) MarshalJSON() ([]byte, error) {
	j := deviceAuthJSON{deviceAuthFields: deviceAuthFields(d)}
	if d.Interval > 0 {
		secs := d.Interval / time.Second
		if d.Interval%time.Second != 0 {
			secs++
		}
		j.Interval = json.Number(strconv.FormatInt(int64(secs), 10))
	}
	return json.Marshal(j)
}

// UnmarshalJSON implements json.Unmarshaler, reading interval as seconds (a
// number or a numeric string), so that MarshalJSON's output and an RFC 8628
// §3.2 response both give the right Interval.
func (d *DeviceAuth) UnmarshalJSON(b []byte) error {
	var j deviceAuthJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*d = DeviceAuth(j.deviceAuthFields)
	d.Interval = 0
	if j.Interval != "" {
		secs, err := expiresIn(j.Interval)
		if err != nil {
			return fmt.Errorf("oauth2: device authorization: invalid interval %q", clip(string(j.Interval), 64))
		}
		d.Interval = time.Duration(secs) * time.Second
	}
	return nil
}

// String describes d without the device code.
func (d DeviceAuth) String() string {
	return fmt.Sprintf("oauth2.DeviceAuth{DeviceCode:%s UserCode:%q VerificationURI:%q Interval:%s}",
		urlenc.Mask(d.DeviceCode), d.UserCode, d.VerificationURI, d.Interval)
}

// Format implements fmt.Formatter: every verb prints String.
func (d DeviceAuth) Format(f fmt.State, verb rune) { io.WriteString(f, d.String()) }

// LogValue implements slog.LogValuer without the device code.
func (d DeviceAuth) LogValue() slog.Value {
	return slog.GroupValue(slog.String("user_code", d.UserCode), slog.String("verification_uri", d.VerificationURI),
		slog.Time("expiry", d.Expiry), slog.Duration("interval", d.Interval))
}

// DeviceAuth starts the device authorization grant (RFC 8628 §3.1): it asks
// Endpoint.DeviceAuthURL for a device code and user code for Config.Scopes.
// ctx bounds the request.
func (s *Session) DeviceAuth(ctx context.Context) (*DeviceAuth, error) {
	var p urlenc.Params
	s.addScope(&p)
	r, err := s.postForm(ctx, "device", s.cfg.Endpoint.DeviceAuthURL, p, false)
	if err != nil {
		return nil, err
	}
	vals, err := decodeResponse(r.contentType, r.body)
	if err != nil || r.status/100 != 2 || str(vals["error"]) != "" {
		if _, perr := parseTokenResponse("device", r.status, r.contentType, r.body, s.cfg.now(), r.secrets); perr != nil {
			return nil, perr
		}
		return nil, fmt.Errorf("oauth2: device endpoint: cannot parse response: %w", err)
	}
	da := &DeviceAuth{
		DeviceCode:              str(vals["device_code"]),
		UserCode:                str(vals["user_code"]),
		VerificationURI:         str(vals["verification_uri"]),
		VerificationURIComplete: str(vals["verification_uri_complete"]),
		Message:                 str(vals["message"]),
		Interval:                5 * time.Second,
	}
	if da.VerificationURI == "" { // Google
		da.VerificationURI = str(vals["verification_url"])
	}
	if da.DeviceCode == "" {
		return nil, errors.New("oauth2: device endpoint: response has no device_code")
	}
	if secs, err := expiresIn(vals["expires_in"]); err == nil && secs > 0 {
		da.Expiry = s.cfg.now().Add(time.Duration(secs) * time.Second)
	}
	if secs, err := expiresIn(vals["interval"]); err == nil && secs > 0 {
		da.Interval = time.Duration(secs) * time.Second
	}
	return da, nil
}

// minPollInterval is the shortest wait between two device token polls:
// RFC 8628 intervals are whole seconds, so a shorter one is a mistake (5ns
// is what a raw response decoded into a time.Duration gives).
const minPollInterval = time.Second

// DeviceToken polls the token endpoint until the user approves or denies the
// device authorization da (RFC 8628 §3.4, §3.5), and makes the token the
// session's token. It waits da.Interval before each request (Config.Sleep):
// 5 seconds if da.Interval is not positive, at least a second otherwise;
// authorization_pending continues, slow_down adds 5 seconds to the interval
// for this and every later request, a 503 with Retry-After waits at least
// that long. Decisions follow the error code, not the HTTP status.
// access_denied and expired_token end polling with an *Error matching
// ErrAccessDenied or ErrExpiredToken; so does any other error. No wait
// goes past da.Expiry, whatever the interval, slow_down or Retry-After
// say: when the next poll would come after it, DeviceToken waits until
// da.Expiry and returns an *Error matching ErrExpiredToken, as it does
// when da.Expiry has passed. ctx cancels the wait and the requests, each
// of which Config.Timeout bounds.
func (s *Session) DeviceToken(ctx context.Context, da *DeviceAuth) (*Token, error) {
	interval := da.Interval
	switch {
	case interval <= 0:
		interval = 5 * time.Second // RFC 8628 §3.2's default
	case interval < minPollInterval:
		interval = minPollInterval
	}
	expired := func() error {
		return &Error{Endpoint: "token", ErrorCode: "expired_token", ErrorDescription: "device code expired before approval"}
	}
	wait := interval
	for {
		if !da.Expiry.IsZero() {
			// No wait, however long the server asks for, goes past the
			// expiry: polling after it is pointless.
			left := da.Expiry.Sub(s.cfg.now())
			if left <= 0 {
				return nil, expired()
			}
			if wait >= left {
				if err := s.cfg.sleep(ctx, left); err != nil {
					return nil, err
				}
				return nil, expired()
			}
		}
		if err := s.cfg.sleep(ctx, wait); err != nil {
			return nil, err
		}
		if !da.Expiry.IsZero() && !s.cfg.now().Before(da.Expiry) {
			return nil, expired()
		}
		p := urlenc.Params{
			{Key: "grant_type", Value: "urn:ietf:params:oauth:grant-type:device_code"},
			{Key: "device_code", Value: da.DeviceCode},
		}
		tok, err := s.tokenRequest(ctx, p, true)
		if err == nil {
			if err := s.commit(ctx, tok, false); err != nil {
				return nil, err
			}
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
