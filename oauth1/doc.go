// Package oauth1 implements the client side of OAuth 1.0a (RFC 5849), and
// the verification a provider does, with the HMAC-SHA1, HMAC-SHA256,
// HMAC-SHA512, RSA-SHA1, RSA-SHA256, RSA-SHA512 and PLAINTEXT signature
// methods, in the Authorization header, the query string or a form body.
//
// # Signing requests
//
// A [Config] holds the consumer credentials and how to sign; a [Token] the
// token credentials. [Config.Sign] signs one request in place;
// [Config.Client] returns an *http.Client whose [Transport] signs every
// request it sends (on a clone: the caller's request is never modified):
//
//	cfg := &oauth1.Config{ConsumerKey: "key", ConsumerSecret: "secret"}
//	client := cfg.Client(&oauth1.Token{Token: "token", Secret: "token secret"})
//	resp, err := client.Get("https://api.example.com/1/items?tag=a&tag=b")
//
// The signature base string follows RFC 5849 §3.4.1 to the letter: the
// upper-case method; the base URI with lower-case scheme and host, the port
// only when it is not the scheme's default, the path as sent and "/" for an
// empty one; the query parameters, the body parameters when the body is
// application/x-www-form-urlencoded (with or without a charset), and the
// protocol parameters, repeated keys and empty values kept. Unset optional
// protocol parameters (oauth_token, oauth_callback, oauth_verifier) are
// left out. The realm goes first in the header and is not signed;
// oauth_version=1.0 is sent unless Config.OmitVersion; oauth_body_hash is
// added for non-form bodies when Config.BodyHash is set. Protocol
// parameters are written in the order oauthlib writes them (nonce,
// timestamp, version, signature method, consumer key, token, callback,
// verifier, body hash, signature), so its published output is reproduced
// byte for byte.
//
// # The three-legged flow
//
// [Config.RequestToken] obtains temporary credentials, [Config.AuthorizationURL]
// is where to send the user, [ParseAuthorizationResponse] (or
// [ParseAuthorizationRequest]) reads the token and verifier from the
// callback, and [Config.AccessToken] exchanges them for token credentials.
// Every network call takes a context. Token responses may be form-encoded
// or JSON; fields other than the token and secret are kept
// ([Token.Extra]). A provider's refusal is an *[Error] carrying the
// endpoint, the HTTP status and the oauth_problem; errors.Is maps
// well-known problems to this package's sentinels. Provider presets ([Twitter], [Bitbucket],
// [Tumblr], [Jira], [NetSuite], ...) are [Endpoint] values.
//
// # Redirects, timeouts and errors
//
// The token requests never follow a redirect: a 3xx answer is a
// *Error with only its endpoint and status. A [Transport] signs a redirected
// request only when it goes to the host and port of the first one
// without a downgrade to http, and removes the OAuth parameters a previous
// hop left in its URL, so no signature reaches another host. Each token
// request is bounded by Config.Timeout ([DefaultTimeout], 30 s) when its
// context has no deadline.
//
// Errors hold no credential that was sent or received (secrets, tokens,
// the verifier, signatures): the text a server sends back is scrubbed of
// them wherever they stand as whole tokens (see [Error]), and
// callback errors never quote the URL.
// What an error quotes of a server's or a client's text is bounded: a
// *Error's Problem, Advice and Body to 64, 256 and 512 bytes, a
// received value in a [VerifyError] to 64.
//
// # Verifying requests
//
// A [Verifier] checks a request as a provider receives it: the signature
// in any placement and method, with the consumer and token secrets (or the
// consumer's RSA public key) looked up by the caller; the timestamp within
// a window; and the nonce through a [NonceStore] that rejects replays
// ([MemoryNonceStore] is one). Failures are *[VerifyError] values that
// wrap sentinels such as [ErrInvalidSignature], [ErrStaleTimestamp] and
// [ErrReplayedNonce] and name the oauth_problem to report. A nonce longer
// than [MaxNonceLength] is refused before the store sees it; a
// MemoryNonceStore holds at most MaxEntries nonces, forgets them as they
// expire, and when full refuses new ones ([ErrNonceStoreFull]) rather
// than forget live ones.
//
// # Performance
//
// Signing a request allocates for what it leaves in the request: the
// nonce and timestamp, the header value (or the new query or body) and,
// when it read the body, the body it puts back (and, when it prepares a
// key as below, that key). An HMAC signature starts
// by hashing two blocks made from the secrets alone; for credentials it
// signs with twice in a row, Sign keeps that work, a prepared key
// ([signer.HMACKey]), in a process-wide table of 64 slots, so that later
// requests hash only their base string. Each slot holds copies of one set
// of secrets until other credentials take it, which they do only by
// signing twice in a row as far as the slot can tell; credentials that
// come and go (a server signing for many users in turn) are not stored
// and cost a hash lookup. Set Config.NoKeyCache to keep a Config's
// secrets out of it.
// Nonce bytes are read from crypto/rand eight nonces at a time.
//
// # Concurrency
//
// A Config, a Transport and a Verifier are safe for concurrent use by
// multiple goroutines once their fields are set; no method writes to
// them (there is no lazily filled default). Sign may run concurrently on
// different requests; each signing draws its own nonce.
package oauth1
