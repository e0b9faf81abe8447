package fakeprovider

import "testing"

// TestOAuth1ProtocolParamsInOnePlace sends the RFC's protected resource
// request with one protocol parameter moved from the Authorization header
// to the query: the base string, and so the signature, are unchanged, but
// RFC 5849 §3.5 wants the protocol parameters in "one and only one" of the
// header, the form body and the query.
func TestOAuth1ProtocolParamsInOnePlace(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(r *o1Req)
		status  int
		problem string
	}{
		{name: "all in the header", edit: func(r *o1Req) {}, status: 200},
		{name: "nonce in the query", status: 401, problem: "parameter_rejected", edit: func(r *o1Req) {
			delete(r.oauth, "oauth_nonce")
			r.target += "&oauth_nonce=" + o1Encode("chapoH")
		}},
		{name: "consumer key in the query", status: 401, problem: "parameter_rejected", edit: func(r *o1Req) {
			delete(r.oauth, "oauth_consumer_key")
			r.target += "&oauth_consumer_key=dpf43f3p2l4k3l03"
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := o1VectorByID(t, "rfc5849-1.2-protected-resource")
			o := o1VectorProvider(t, v)
			r := o1VectorReq(v)
			tt.edit(&r)
			if a := o1Send(t, o, false, r); a.status != tt.status || a.problem != tt.problem {
				t.Fatalf("got %d %q, want %d %q", a.status, a.problem, tt.status, tt.problem)
			}
		})
	}
}
