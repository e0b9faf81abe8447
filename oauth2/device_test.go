package oauth2

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestDeviceAuthJSON(t *testing.T) {
	t.Run("round trip", func(t *testing.T) {
		for _, iv := range []time.Duration{0, time.Second, 5 * time.Second, 65 * time.Second} {
			in := DeviceAuth{DeviceCode: "dc", UserCode: "UC", VerificationURI: "https://v", VerificationURIComplete: "https://v?c",
				Expiry: time.Date(2026, 1, 1, 0, 30, 0, 0, time.UTC), Interval: iv, Message: "go"}
			b, err := json.Marshal(in)
			if err != nil {
				t.Fatal(err)
			}
			var out DeviceAuth
			if err := json.Unmarshal(b, &out); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(in, out); diff != "" {
				t.Errorf("round trip of %s (-want +got):\n%s", b, diff)
			}
		}
	})
	t.Run("interval in seconds", func(t *testing.T) {
		b, err := json.Marshal(DeviceAuth{DeviceCode: "dc", Interval: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), `"interval":5`) || strings.Contains(string(b), `"interval":5000`) {
			t.Errorf("json.Marshal = %s, want \"interval\":5", b)
		}
		b, _ = json.Marshal(DeviceAuth{DeviceCode: "dc", Interval: 1500 * time.Millisecond})
		if !strings.Contains(string(b), `"interval":2`) {
			t.Errorf("json.Marshal(1.5s) = %s, want \"interval\":2 (never faster than asked)", b)
		}
	})
	tests := []struct {
		name string
		in   string
		want time.Duration
	}{
		// RFC 8628 §3.2's example response.
		{"RFC 8628 response", `{"device_code":"GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS","user_code":"WDJB-MJHT",
			"verification_uri":"https://example.com/device",
			"verification_uri_complete":"https://example.com/device?user_code=WDJB-MJHT","expires_in":1800,"interval":5}`, 5 * time.Second},
		{"string", `{"interval":"7"}`, 7 * time.Second},
		{"absent", `{}`, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var da DeviceAuth
			if err := json.Unmarshal([]byte(tt.in), &da); err != nil {
				t.Fatal(err)
			}
			if da.Interval != tt.want {
				t.Errorf("Interval = %v, want %v", da.Interval, tt.want)
			}
		})
	}
	var da DeviceAuth
	if err := json.Unmarshal([]byte(`{"interval":"soon"}`), &da); err == nil {
		t.Errorf("interval \"soon\" decoded to %v, want an error", da.Interval)
	}
}

func TestDeviceTokenMinimumInterval(t *testing.T) {
	tests := []struct {
		interval time.Duration
		want     time.Duration
	}{
		{0, 5 * time.Second},
		{-time.Second, 5 * time.Second},
		{5, time.Second}, // 5ns, as a raw response decoded as a Duration would give
		{300 * time.Millisecond, time.Second},
		{2 * time.Second, 2 * time.Second},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.interval), func(t *testing.T) {
			srv := newCapture(t, okToken)
			var waits []time.Duration
			s := (&Config{ClientID: "c", Endpoint: Endpoint{TokenURL: srv.URL},
				Sleep: func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }}).NewSession(nil)
			if _, err := s.DeviceToken(context.Background(), &DeviceAuth{DeviceCode: "d", Interval: tt.interval}); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]time.Duration{tt.want}, waits); diff != "" {
				t.Errorf("waits (-want +got):\n%s", diff)
			}
		})
	}
}
