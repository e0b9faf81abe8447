package oidc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// parseObject decodes data, which must be exactly one JSON object, into its
// members, raw. A duplicate member name is an error (RFC 7519 §4 lets a
// parser refuse them, and refusing means no two parsers read one document
// differently). Names are matched exactly by the callers, never
// case-insensitively as encoding/json matches struct fields. Errors give
// positions, never input.
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
		name, _ := t.(string) // the decoder returns only strings as names
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, jsonSyntaxError(err)
		}
		if _, dup := obj[name]; dup {
			return nil, fmt.Errorf("duplicate member %s", quote(name))
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
// messages of encoding/json can quote the input.
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

// errWrongType is returned by the member readers for a member of another
// JSON type.
var errWrongType = errors.New("wrong json type")

// getString reads obj[name] as a JSON string; ok is false when it is
// absent. JSON null counts as absent, as OpenID Connect Core 1.0 §5.3.2
// and RFC 8414 §3.2 treat null members.
func getString(obj map[string]json.RawMessage, name string) (s string, ok bool, err error) {
	raw, present := obj[name]
	if !present || string(raw) == "null" {
		return "", false, nil
	}
	if len(raw) == 0 || raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
		return "", false, errWrongType
	}
	return s, true, nil
}

// getBool reads obj[name] as a JSON boolean, false when absent.
func getBool(obj map[string]json.RawMessage, name string) (bool, error) {
	switch raw, present := obj[name]; {
	case !present || string(raw) == "null" || string(raw) == "false":
		return false, nil
	case string(raw) == "true":
		return true, nil
	}
	return false, errWrongType
}

// getStrings reads obj[name] as a JSON array of strings, nil when absent.
func getStrings(obj map[string]json.RawMessage, name string) ([]string, error) {
	raw, present := obj[name]
	if !present || string(raw) == "null" {
		return nil, nil
	}
	var list []string
	if len(raw) == 0 || raw[0] != '[' || json.Unmarshal(raw, &list) != nil {
		return nil, errWrongType
	}
	if list == nil {
		list = []string{}
	}
	return list, nil
}
