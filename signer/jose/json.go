package jose

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// parseObject decodes data, which must be exactly one JSON object, into its
// members. A duplicate member name is an error: RFC 7515 §4 and RFC 7517 §4
// let a parser either refuse duplicates or keep the last one, and refusing
// them means no two parsers can read one object differently. Names are
// kept exactly as sent (after JSON unescaping); values are kept raw.
//
// Error messages give positions, never input, so they are safe for secret
// input such as a private JWK.
func parseObject(data []byte) (map[string]json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	t, err := dec.Token()
	if err != nil {
		return nil, jsonSyntaxError(err)
	}
	if d, ok := t.(json.Delim); !ok || d != '{' {
		return nil, errors.New("not a json object")
	}
	obj := make(map[string]json.RawMessage)
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, jsonSyntaxError(err)
		}
		name, ok := t.(string)
		if !ok { // cannot happen: the decoder only returns strings as names
			return nil, errors.New("object member name is not a string")
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, jsonSyntaxError(err)
		}
		if _, dup := obj[name]; dup {
			return nil, fmt.Errorf("duplicate member %q", truncate(name))
		}
		obj[name] = v
	}
	if _, err := dec.Token(); err != nil { // the closing '}'
		return nil, jsonSyntaxError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the json object")
	}
	return obj, nil
}

// jsonSyntaxError describes a decoding error by its position only: the
// messages of encoding/json can quote a character of the input.
func jsonSyntaxError(err error) error {
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

// jsonString decodes raw as a JSON string. null and other types are not
// strings.
func jsonString(raw json.RawMessage) (string, bool) {
	if len(raw) == 0 || raw[0] != '"' {
		return "", false
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}
