package oauth1

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
)

// TestBareStateClearedOnError: a state that served a failed signing keeps
// nothing of the request once putBare has cleared it, whatever step
// failed, a body read only in part included.
func TestBareStateClearedOnError(t *testing.T) {
	const secret = "HUNTER2-SECRET"
	tests := []struct {
		name string
		cfg  Config
		url  string
		body string
	}{
		{"body too large", Config{MaxBodyBytes: 64}, "https://api.example.com/r", "p=" + secret + strings.Repeat("s", 200)},
		{"malformed form body", Config{}, "https://api.example.com/r", "p=" + secret + "&q=%zz"},
		{"malformed query", Config{}, "https://api.example.com/r?q=%zz", "p=" + secret},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, tt.url, strings.NewReader(tt.body))
			req.Header.Set("Content-Type", formType)
			cfg := tt.cfg
			cfg.ConsumerKey, cfg.ConsumerSecret = "ck", "cs"
			st := new(signState)
			st.out = make([]byte, 0, 4096) // room to read the body in place
			if err := cfg.sign(req, &credentials{}, st); err == nil {
				t.Fatal("sign succeeded")
			}
			putBare(st)
			if bytes.Contains(st.out[:cap(st.out)], []byte(secret)) {
				t.Errorf("the state holds the body after putBare")
			}
		})
	}
}
