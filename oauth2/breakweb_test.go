package oauth2_test

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/oauthkit/oauth/oauth2"
)

// fixedProofDPoP is an oauth2.DPoP whose every proof is proof: a stand-in
// for a signed JWT that holds nothing else a test scrubs.
type fixedProofDPoP struct{ jkt, proof string }

func (f fixedProofDPoP) Proof(string, string, string, string, time.Time) (string, error) {
	return f.proof, nil
}

func (f fixedProofDPoP) Thumbprint() string { return f.jkt }

// CheckResponse redacts the DPoP proof the request carried (a signed
// assertion, scrubbed from the Transport's own errors and from token
// endpoint errors) when the resource server echoes it in its challenge
// or its body, as it redacts the token.
func TestCheckResponseRedactsDPoPProof(t *testing.T) {
	const proof = "eyJ0eXAiOiJkcG9wK2p3dCJ9.eyJqdGkiOiJQUk9PRi1TRUNSRVQifQ.PROOF-SIGNATURE"
	echo := rtFunc(func(r *http.Request) (*http.Response, error) {
		p := r.Header.Get("DPoP")
		h := http.Header{"Www-Authenticate": {`DPoP error="invalid_dpop_proof", error_description="bad proof ` + p + `"`}}
		return &http.Response{StatusCode: 401, Header: h, Body: io.NopCloser(strings.NewReader("you sent " + p)), Request: r}, nil
	})
	dp := fixedProofDPoP{jkt: "jkt-1", proof: proof}
	c := &http.Client{Transport: &oauth2.Transport{Source: oauth2.StaticTokenSource(dpopToken("jkt-1")), Base: echo, DPoP: dp}}
	resp, err := c.Get("https://api.example.com/things")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	err = oauth2.CheckResponse(resp)
	var e *oauth2.Error
	if !errors.As(err, &e) || e.ErrorCode != "invalid_dpop_proof" {
		t.Fatalf("CheckResponse = %v, want an *Error with invalid_dpop_proof", err)
	}
	checkNoCredential(t, err, proof, "at-1")
}
