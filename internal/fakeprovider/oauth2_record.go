package fakeprovider

// What the provider remembers of the last requests to its token and device
// authorization endpoints, for tests to assert what a client sent.

import (
	"net/url"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// LastTokenRequest returns the form parameters of the last request the
// token endpoint read, valid or not, as they were sent: repeated keys and
// empty values kept, the client's credentials included when it sent them
// in the body (client_secret, client_assertion). It returns nil before the
// first such request. With concurrent requests, "last" is whichever the
// provider read last. The result is a copy; it is safe for concurrent use.
//
// The resource (RFC 8707) and audience (RFC 8693) values of a successful
// token request also become the audience of the access token it issued,
// which introspection reports as aud and the protected resource echoes;
// those of the authorization request or the first token request are the
// grant's, which a refresh without its own keeps.
func (o *OAuth2) LastTokenRequest() url.Values { return o.last(&o.lastToken) }

// LastDeviceAuthRequest is [OAuth2.LastTokenRequest] for the device
// authorization endpoint (RFC 8628 §3.1).
func (o *OAuth2) LastDeviceAuthRequest() url.Values { return o.last(&o.lastDevice) }

// record keeps p as the last request of an endpoint.
func (o *OAuth2) record(last *url.Values, p urlenc.Params) {
	v := make(url.Values, len(p))
	for _, kv := range p {
		v[kv.Key] = append(v[kv.Key], kv.Value)
	}
	o.lastMu.Lock()
	*last = v
	o.lastMu.Unlock()
}

func (o *OAuth2) last(v *url.Values) url.Values {
	o.lastMu.Lock()
	defer o.lastMu.Unlock()
	if *v == nil {
		return nil
	}
	out := make(url.Values, len(*v))
	for k, vs := range *v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
