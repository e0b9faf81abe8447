// Package jsonobj parses a JSON object strictly, the way signer/jose reads
// JOSE headers and JWKs and oauth2/oidc reads ID token claims, discovery
// documents and UserInfo responses: exactly one object, no duplicate
// member names, errors that never quote the input.
package jsonobj

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// Parse decodes data, which must be exactly one JSON object, into its
// members, their values raw. A duplicate member name is an error: RFC 7515
// §4, RFC 7517 §4 and RFC 7519 §4 let a parser either refuse duplicates or
// keep the last one, and refusing them means no two parsers can read one
// object differently. Names are kept exactly as sent (after JSON
// unescaping), for callers to match exactly, never case-insensitively as
// encoding/json matches struct fields.
//
// Errors give positions, never input (a duplicate name is quoted, cut to
// 64 bytes), so they are safe for secret input such as a private JWK.
func Parse(data []byte) (map[string]json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	t, err := dec.Token()
	if err != nil {
		return nil, syntaxError(err)
	}
	if d, ok := t.(json.Delim); !ok || d != '{' {
		return nil, errors.New("not a json object")
	}
	obj := make(map[string]json.RawMessage)
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, syntaxError(err)
		}
		name, _ := t.(string) // the decoder returns only strings as names
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, syntaxError(err)
		}
		if _, dup := obj[name]; dup {
			return nil, fmt.Errorf("duplicate member %q", clip(name))
		}
		obj[name] = v
	}
	if _, err := dec.Token(); err != nil { // the closing '}'
		return nil, syntaxError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the json object")
	}
	return obj, nil
}

// syntaxError describes a decoding error by its position only: the
// messages of encoding/json can quote a character of the input.
func syntaxError(err error) error {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return fmt.Errorf("invalid json at offset %d", se.Offset)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("truncated json")
	default:
		return errors.New("invalid json")
	}
}

// maxName bounds a member name quoted in an error.
const maxName = 64

// clip cuts s to maxName bytes, between runes, with "..." appended.
func clip(s string) string {
	if len(s) <= maxName {
		return s
	}
	cut := maxName
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}
