package oidc

import (
	"encoding/json"
	"errors"
)

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
