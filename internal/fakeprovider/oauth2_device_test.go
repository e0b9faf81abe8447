package fakeprovider

import (
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// deviceStart runs the device authorization request for the public client.
func deviceStart(t testing.TB, s *Server) map[string]any {
	t.Helper()
	return post(t, s, OAuth2DevicePath, noneAuth("public-client"), params("scope", "read")).wantOK(t)
}

func devicePoll(t testing.TB, s *Server, deviceCode string) o2Resp {
	t.Helper()
	return post(t, s, OAuth2TokenPath, noneAuth("public-client"), params("grant_type", grantDeviceCode, "device_code", deviceCode))
}

// outcome summarizes a poll: "token" or "error:<code>".
func outcome(t testing.TB, r o2Resp) string {
	t.Helper()
	if r.status == http.StatusOK {
		r.wantOK(t)
		return "token"
	}
	if r.status != http.StatusBadRequest {
		t.Fatalf("poll: status %d %s, want 200 or 400", r.status, r.body)
	}
	return "error:" + r.str(t, "error")
}

// TestOAuth2DeviceAuthorizationResponse compares the response's fields with
// the RFC 8628 §3.2 vector's.
func TestOAuth2DeviceAuthorizationResponse(t *testing.T) {
	v := loadVectors(t, "device_authorization_response")[0]
	var want map[string]any
	unmarshal(t, v.Expected, &want)
	s := o2Server(t, func(o *OAuth2) { o.DeviceInterval = 1 })
	got := deviceStart(t, s)
	keys := func(m map[string]any) []string {
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		return ks
	}
	if diff := cmp.Diff(keys(want), keys(got)); diff != "" {
		t.Errorf("device authorization fields mismatch (-want +got):\n%s", diff)
	}
	verify := s.URL + OAuth2DeviceVerifyPath
	uc := got["user_code"].(string)
	if got["verification_uri"] != verify || got["verification_uri_complete"] != verify+"?user_code="+uc ||
		got["expires_in"] != float64(600) || got["interval"] != float64(1) || len(uc) != 9 || uc[4] != '-' {
		t.Errorf("device authorization response = %v", got)
	}
	t.Run("no interval", func(t *testing.T) {
		s := o2Server(t, func(o *OAuth2) { o.DeviceInterval = -1 })
		if got := deviceStart(t, s); got["interval"] != nil {
			t.Errorf("interval = %v, want absent", got["interval"])
		}
	})
}

// TestOAuth2DevicePollingVectors replays the RFC 8628 §3.5 polling vectors:
// their responses become the DeviceScript, and the provider must answer the
// same sequence.
func TestOAuth2DevicePollingVectors(t *testing.T) {
	for _, v := range loadVectors(t, "device_polling") {
		t.Run(v.ID, func(t *testing.T) {
			var in struct {
				Responses []struct {
					Status int    `json:"status"`
					Error  string `json:"error"`
				} `json:"responses"`
			}
			var want struct {
				Requests int    `json:"requests"`
				Outcome  string `json:"outcome"`
			}
			unmarshal(t, v.Input, &in)
			unmarshal(t, v.Expected, &want)
			var script, wantSeq []string
			for _, r := range in.Responses {
				if r.Status == http.StatusOK {
					script = append(script, "approve")
					wantSeq = append(wantSeq, "token")
				} else {
					script = append(script, r.Error)
					wantSeq = append(wantSeq, "error:"+r.Error)
				}
			}
			s := o2Server(t, func(o *OAuth2) { o.DeviceScript = script; o.DeviceInterval = 0 })
			dc := deviceStart(t, s)["device_code"].(string)
			var got []string
			for i := 0; i < want.Requests; i++ {
				got = append(got, outcome(t, devicePoll(t, s, dc)))
			}
			if diff := cmp.Diff(wantSeq[:want.Requests], got); diff != "" {
				t.Errorf("poll sequence mismatch (-want +got):\n%s", diff)
			}
			if got[len(got)-1] != want.Outcome {
				t.Errorf("final outcome = %q, want %q", got[len(got)-1], want.Outcome)
			}
		})
	}
}

// TestOAuth2DeviceScript checks the script mechanics: the last entry
// repeats, approval consumes the code, expiry by the clock, ApproveDevice
// and the verification page.
func TestOAuth2DeviceScript(t *testing.T) {
	t.Run("default then used", func(t *testing.T) {
		s := o2Server(t, nil)
		dc := deviceStart(t, s)["device_code"].(string)
		var got []string
		for i := 0; i < 3; i++ {
			got = append(got, outcome(t, devicePoll(t, s, dc)))
		}
		want := []string{"error:authorization_pending", "token", "error:invalid_grant"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("polls mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("last entry repeats", func(t *testing.T) {
		s := o2Server(t, func(o *OAuth2) { o.DeviceScript = []string{"slow_down", "access_denied"} })
		dc := deviceStart(t, s)["device_code"].(string)
		var got []string
		for i := 0; i < 4; i++ {
			got = append(got, outcome(t, devicePoll(t, s, dc)))
		}
		want := []string{"error:slow_down", "error:access_denied", "error:access_denied", "error:access_denied"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("polls mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("expired by clock", func(t *testing.T) {
		now := time.Now()
		s := o2Server(t, func(o *OAuth2) {
			o.Now = func() time.Time { return now }
			o.DeviceScript = []string{"authorization_pending"}
		})
		dc := deviceStart(t, s)["device_code"].(string)
		if got := outcome(t, devicePoll(t, s, dc)); got != "error:authorization_pending" {
			t.Fatalf("first poll = %q", got)
		}
		now = now.Add(601 * time.Second)
		if got := outcome(t, devicePoll(t, s, dc)); got != "error:expired_token" {
			t.Errorf("poll after expiry = %q, want error:expired_token", got)
		}
	})
	t.Run("ApproveDevice", func(t *testing.T) {
		s := o2Server(t, func(o *OAuth2) { o.DeviceScript = []string{"authorization_pending"} })
		dev := deviceStart(t, s)
		dc := dev["device_code"].(string)
		if got := outcome(t, devicePoll(t, s, dc)); got != "error:authorization_pending" {
			t.Fatalf("first poll = %q", got)
		}
		s.OAuth2.ApproveDevice(dev["user_code"].(string))
		if got := outcome(t, devicePoll(t, s, dc)); got != "token" {
			t.Errorf("poll after ApproveDevice = %q, want token", got)
		}
	})
	t.Run("verification page", func(t *testing.T) {
		s := o2Server(t, func(o *OAuth2) { o.DeviceScript = []string{"authorization_pending"} })
		dev := deviceStart(t, s)
		req, _ := http.NewRequest(http.MethodGet, dev["verification_uri_complete"].(string), nil)
		if r := o2Do(t, s.Client(), req); r.status != http.StatusOK || !strings.Contains(r.body, "approved") {
			t.Fatalf("verification page: %d %q", r.status, r.body)
		}
		if got := outcome(t, devicePoll(t, s, dev["device_code"].(string))); got != "token" {
			t.Errorf("poll after verification = %q, want token", got)
		}
		req, _ = http.NewRequest(http.MethodGet, s.URL+OAuth2DeviceVerifyPath+"?user_code=NOPE-NOPE", nil)
		if r := o2Do(t, s.Client(), req); r.status != http.StatusNotFound {
			t.Errorf("unknown user code: status %d, want 404", r.status)
		}
	})
	t.Run("other client", func(t *testing.T) {
		s := o2Server(t, nil)
		dc := deviceStart(t, s)["device_code"].(string)
		post(t, s, OAuth2TokenPath, basicAuth("basic-client", "basic-secret"), params("grant_type", grantDeviceCode, "device_code", dc)).
			wantError(t, http.StatusBadRequest, "invalid_grant")
	})
	t.Run("expired_token step", func(t *testing.T) {
		s := o2Server(t, func(o *OAuth2) { o.DeviceScript = []string{"expired_token"} })
		dc := deviceStart(t, s)["device_code"].(string)
		if got := outcome(t, devicePoll(t, s, dc)); got != "error:expired_token" {
			t.Errorf("poll = %q, want error:expired_token", got)
		}
	})
}
