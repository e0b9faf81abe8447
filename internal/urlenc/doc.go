// Package urlenc holds the encoding rules both OAuth protocols depend on,
// in one place so that oauth1 and oauth2 cannot drift apart.
//
// # OAuth 1 percent-encoding
//
// [AppendEscape] implements RFC 3986 §2.1 percent-encoding as RFC 5849 §3.6
// requires: the unreserved characters A-Z a-z 0-9 - . _ ~ pass unchanged and
// every other byte of the UTF-8 form becomes %XX with upper-case hex digits.
// [Params] is an ordered, multi-valued parameter list (duplicate keys and
// empty values are kept, unlike a map), and [CompareParams] is the order of
// the OAuth 1 normalized parameters (RFC 5849 §3.4.1.3.2), which package
// oauth1 builds.
//
// # OAuth 2 form encoding
//
// [FormEscape] and [Params.Encode] implement the
// application/x-www-form-urlencoded encoding of RFC 6749 Appendix B, which
// cites HTML 4.01: a space becomes '+', every other byte that is not an
// unreserved character becomes %XX. [BasicAuth] builds the client_secret_basic
// header of RFC 6749 §2.3.1 from form-encoded credentials. [AddParams] adds
// parameters to a URI without disturbing its query or fragment, and
// [ParseURLParams] reads them back from a query or a fragment.
//
// # Credentials in text
//
// [Mask] is how a String method shows a credential, [Format] how a
// Format method prints that String for every fmt verb, [Redact] and [Clip]
// scrub and bound text from a server, and [IsLoopback] names the hosts
// credentials may reach over plain http.
package urlenc
