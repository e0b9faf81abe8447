// Package fakeprovider is a strict OAuth 1.0a and OAuth 2.0 provider for
// tests and for the demo: an [http.Handler] ([Provider]) and helpers that
// serve it on loopback through net/http/httptest ([NewServer],
// [NewTLSServer]).
//
// It verifies what it receives as a strict provider would (signatures,
// nonces, timestamps, client authentication, PKCE, one-time codes) and can
// be told to misbehave like real providers do. Configure a Provider's fields
// before the first request; counters may be read at any time.
//
// It never calls testing.TB: the demo uses it as well as the tests.
package fakeprovider
