// Package oauth1 implements OAuth 1.0a (RFC 5849): the three-legged flow,
// request signing with HMAC-SHA1, HMAC-SHA256, HMAC-SHA512, RSA-SHA1,
// RSA-SHA256, RSA-SHA512 or PLAINTEXT in the Authorization header, the
// query or a form body, and the verification a provider does.
//
// # The three-legged flow
//
//	cfg := &oauth1.Config{
//		ConsumerKey:    "consumer key",
//		ConsumerSecret: "consumer secret",
//		CallbackURL:    "https://app.example/callback", // or "oob": the user types a PIN
//		Endpoint:       oauth1.Twitter,
//	}
//	requestToken, err := cfg.RequestToken(ctx)                // 1. temporary credentials
//	authURL, err := cfg.AuthorizationURL(requestToken, nil)   // 2. send the user there
//	// ... the provider sends the user back to the callback:
//	token, verifier, err := oauth1.ParseAuthorizationRequest(r)
//	accessToken, err := cfg.AccessToken(ctx, requestToken, verifier) // 3. token credentials
//	client := cfg.Client(accessToken) // an *http.Client that signs every request
//	resp, err := client.Get("https://api.twitter.com/1.1/account/verify_credentials.json")
//
// The token of the callback should be the request token's. The example of
// [Config.RequestToken] runs this flow against the provider of package
// oauth1test, which tests of a program's own code use the same way. Every
// call that does I/O takes a context. Token responses may be form-encoded
// or JSON; fields other than the token and secret are kept
// ([Token.Extra]). Provider
// presets ([Twitter], [Bitbucket], [Tumblr], [Jira], [NetSuite], ...) are
// [Endpoint] values.
//
// # Signing requests
//
// [Config.Sign] signs one request in place; [Config.Client] returns an
// *http.Client whose [Transport] signs every request it sends, on a copy:
// the caller's request is never modified. Signing follows RFC 5849 §3 step
// by step: the protocol parameters, the query's and the form body's (a
// body of type application/x-www-form-urlencoded, charset or not) are
// collected, repeated keys and empty values kept; the signature base
// string is built from them (§3.4.1), signed, and placed as
// Config.Placement says. The realm goes first in the header and is not
// signed; oauth_version=1.0 is sent unless Config.OmitVersion;
// oauth_body_hash is added for other bodies when Config.BodyHash is set.
// The protocol parameters are written in the order oauthlib writes them,
// so its published output is reproduced byte for byte. [Verifier] builds
// the base string with the same code.
//
// # Errors, redirects and timeouts
//
// A provider's refusal is an *[Error] with the endpoint, the HTTP status
// and the oauth_problem; errors.Is maps well-known problems to this
// package's sentinels. A body over Config.MaxBodyBytes is an error wrapping
// an *http.MaxBytesError. The token requests never follow a redirect: a
// 3xx answer is an *Error with only its endpoint and status. A [Transport]
// signs a redirected request only when it goes to the host and port of the
// first one without a downgrade to http, and removes the OAuth parameters
// a previous hop left in its URL, so no signature reaches another host.
// Each token request is bounded by Config.Timeout ([DefaultTimeout],
// 30 s) when its context has no deadline.
//
// Errors hold no credential that was sent or received (secrets, tokens,
// the verifier, signatures): the text a server sends back is scrubbed of
// them wherever they stand as whole tokens (see [Error]), and callback
// errors never quote the URL. What an error quotes of a server's or a
// client's text is bounded: an *Error's Problem, Advice and Body to 64,
// 256 and 512 bytes, a received value in a [VerifyError] to 64.
//
// # Verifying requests
//
// A [Verifier] checks a request as a provider receives it: the signature
// in any placement and method, with the consumer and token secrets (or the
// consumer's RSA public key) looked up by the caller, and HMAC or
// PLAINTEXT refused for a consumer with a public key and no secret; the
// timestamp within a window; and the nonce through a [NonceStore] that
// rejects replays ([MemoryNonceStore] is one). Failures are *[VerifyError]
// values that wrap sentinels such as [ErrInvalidSignature],
// [ErrStaleTimestamp] and [ErrReplayedNonce] and name the oauth_problem to
// report. A nonce longer
// than [MaxNonceLength] is refused before the store sees it; a
// MemoryNonceStore holds at most MaxEntries nonces, forgets them as they
// expire, and when full refuses new ones ([ErrNonceStoreFull]) rather
// than forget live ones.
//
// # Performance
//
// Make one [Transport] (or one [Config.Client]) per token and reuse it:
// it prepares the HMAC of its secrets once and keeps that state for the
// requests it signs. [Config.Sign] keeps nothing between calls, so each
// call does that work again.
//
// # Concurrency
//
// A Config, a Transport and a Verifier are safe for concurrent use by
// multiple goroutines once their fields are set; no method writes to their
// fields (there is no lazily filled default). Sign may run concurrently on
// different requests; each signing draws its own nonce.
package oauth1
