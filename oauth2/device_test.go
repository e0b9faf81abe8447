package oauth2

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestDeviceAuthResponseJSON(t *testing.T) {
	t.Run("round trip", func(t *testing.T) {
		for _, iv := range []int64{0, 1, 5, 65} {
			in := DeviceAuthResponse{DeviceCode: "dc", UserCode: "UC", VerificationURI: "https://v", VerificationURIComplete: "https://v?c",
				Expiry: time.Now().Add(30 * time.Minute), Interval: iv, Message: "go"}
			b, err := json.Marshal(in)
			if err != nil {
				t.Fatal(err)
			}
			var out DeviceAuthResponse
			if err := json.Unmarshal(b, &out); err != nil {
				t.Fatal(err)
			}
			// expires_in is relative and in whole seconds.
			if diff := cmp.Diff(in, out, cmpopts.EquateApproxTime(2*time.Second)); diff != "" {
				t.Errorf("round trip of %s (-want +got):\n%s", b, diff)
			}
		}
	})
	tests := []struct {
		name     string
		in       string
		interval int64
		expires  time.Duration
		uri      string
	}{
		// RFC 8628 §3.2's example response.
		{"RFC 8628 response", `{"device_code":"GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS","user_code":"WDJB-MJHT",
			"verification_uri":"https://example.com/device",
			"verification_uri_complete":"https://example.com/device?user_code=WDJB-MJHT","expires_in":1800,"interval":5}`, 5, 1800 * time.Second, "https://example.com/device"},
		{"strings", `{"interval":"7","expires_in":"60"}`, 7, time.Minute, ""},
		{"Google's verification_url", `{"verification_url":"https://www.google.com/device"}`, 0, 0, "https://www.google.com/device"},
		{"absent", `{}`, 0, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var da DeviceAuthResponse
			before := time.Now()
			if err := json.Unmarshal([]byte(tt.in), &da); err != nil {
				t.Fatal(err)
			}
			if da.Interval != tt.interval || da.VerificationURI != tt.uri {
				t.Errorf("Interval, VerificationURI = %v, %q; want %v, %q", da.Interval, da.VerificationURI, tt.interval, tt.uri)
			}
			switch {
			case tt.expires == 0 && !da.Expiry.IsZero():
				t.Errorf("Expiry = %v, want zero", da.Expiry)
			case tt.expires != 0 && (da.Expiry.Before(before.Add(tt.expires)) || da.Expiry.After(time.Now().Add(tt.expires))):
				t.Errorf("Expiry = %v, want %v after the decoding", da.Expiry, tt.expires)
			}
		})
	}
	for _, bad := range []string{`{"interval":"soon"}`, `{"expires_in":true}`} {
		var da DeviceAuthResponse
		if err := json.Unmarshal([]byte(bad), &da); err == nil {
			t.Errorf("Unmarshal(%s) = %+v, want an error", bad, da)
		}
	}
}

func TestDeviceAccessTokenInterval(t *testing.T) {
	tests := []struct {
		interval int64
		want     time.Duration
	}{
		{0, 5 * time.Second},
		{-1, 5 * time.Second},
		{2, 2 * time.Second},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.interval), func(t *testing.T) {
			srv := newCapture(t, okToken)
			var waits []time.Duration
			cfg := &Config{ClientID: "c", Endpoint: Endpoint{TokenURL: srv.URL},
				Sleep: func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }}
			if _, err := cfg.DeviceAccessToken(context.Background(), &DeviceAuthResponse{DeviceCode: "d", Interval: tt.interval}); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]time.Duration{tt.want}, waits); diff != "" {
				t.Errorf("waits (-want +got):\n%s", diff)
			}
		})
	}
}
