package jose

import "fmt"

// A Header is the protected header of a compact JWS as [ParseHeader] reads
// it, before any signature check: what a verifier needs to choose the key
// and the algorithm to check the token with, and nothing to trust.
type Header struct {
	// Algorithm is the "alg" member (RFC 7515 §4.1.1), which every header
	// has; it may be "none", "" or an algorithm this package does not
	// implement.
	Algorithm string
	// KeyID is the "kid" member (RFC 7515 §4.1.4), or "".
	KeyID string
	// Type is the "typ" member (RFC 7515 §4.1.9), such as "JWT", or "".
	Type string
}

// ParseHeader returns the protected header of the compact JWS token (RFC
// 7515 §7.1) without checking its signature, so that a verifier can pick
// the key a token names by its KeyID, among those of a JWK Set, before it
// calls [VerifyCompact]. Nothing in the header may be trusted until
// VerifyCompact has succeeded, and the key's algorithm must still be the
// one the verifier expects, never the token's own "alg" taken blindly.
//
// The header is read as VerifyCompact reads it: token must have three
// parts, no line break, and a base64url header that is a JSON object without duplicate
// members and without "crit", whose "alg", "kid" and "typ" are strings when
// present ([ErrMalformedJWS]); a missing "alg" gives an error wrapping
// [ErrAlgorithmMismatch]. The payload and signature are not decoded. No
// error contains the token.
func ParseHeader(token string) (Header, error) {
	h, _, _, err := splitCompact(token)
	if err != nil {
		return Header{}, err
	}
	header, err := b64.DecodeString(h)
	if err != nil {
		return Header{}, fmt.Errorf("%w: header: %w", ErrMalformedJWS, err)
	}
	obj, alg, err := headerObject(header)
	if err != nil {
		return Header{}, err
	}
	hdr := Header{Algorithm: alg}
	for _, m := range []struct {
		name string
		dst  *string
	}{{"kid", &hdr.KeyID}, {"typ", &hdr.Type}} {
		raw, ok := obj[m.name]
		if !ok {
			continue
		}
		if *m.dst, ok = jsonString(raw); !ok {
			return Header{}, fmt.Errorf("%w: header %s is not a string", ErrMalformedJWS, m.name)
		}
	}
	return hdr, nil
}
