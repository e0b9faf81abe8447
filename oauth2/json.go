package oauth2

// The JSON of the protocol, read and written without encoding/json's
// reflection: a program that only refreshes tokens and authorizes
// requests then links none of encoding/json's encoders and decoders, which
// only a call that needs them (Token's JSON methods, DeviceAuthResponse's)
// brings in.

import (
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// errMalformedJSON is wrapped when a JSON response does not parse.
var errMalformedJSON = errors.New("malformed JSON")

// maxJSONDepth is how deeply arrays and objects may nest, as in
// encoding/json.
const maxJSONDepth = 10000

// decodeJSONObject decodes the JSON object (RFC 8259 §4) at the start of
// body into the map encoding/json's Decoder, with UseNumber, decodes it
// into: numbers as json.Number, strings with invalid UTF-8 and lone
// surrogates replaced by U+FFFD, objects as map[string]any (the last of
// duplicate names wins), arrays as []any. As Decoder.Decode, it reads the
// first value only: what follows the object is ignored. JSON null gives
// errNotObject, any other value or malformed JSON an error wrapping
// errMalformedJSON.
func decodeJSONObject(body []byte) (map[string]any, error) {
	d := jsonDecoder{b: body}
	d.skipSpace()
	if d.literal("null") {
		return nil, errNotObject
	}
	if d.i >= len(d.b) || d.b[d.i] != '{' {
		return nil, d.fail("want a JSON object")
	}
	v, err := d.value(0)
	if err != nil {
		return nil, err
	}
	return v.(map[string]any), nil
}

// jsonDecoder reads JSON values from b, from offset i on.
type jsonDecoder struct {
	b []byte
	i int
}

func (d *jsonDecoder) fail(msg string) error {
	return fmt.Errorf("%w: %s at offset %d", errMalformedJSON, msg, d.i)
}

func (d *jsonDecoder) skipSpace() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// literal consumes lit if b holds it at i.
func (d *jsonDecoder) literal(lit string) bool {
	if len(d.b)-d.i >= len(lit) && string(d.b[d.i:d.i+len(lit)]) == lit {
		d.i += len(lit)
		return true
	}
	return false
}

// value decodes the value at i, inside depth arrays and objects.
func (d *jsonDecoder) value(depth int) (any, error) {
	if d.i >= len(d.b) {
		return nil, d.fail("unexpected end")
	}
	switch c := d.b[d.i]; {
	case c == '{':
		return d.object(depth + 1)
	case c == '[':
		return d.array(depth + 1)
	case c == '"':
		return d.str()
	case c == '-' || '0' <= c && c <= '9':
		return d.number()
	case d.literal("true"):
		return true, nil
	case d.literal("false"):
		return false, nil
	case d.literal("null"):
		return nil, nil
	}
	return nil, d.fail("unexpected character")
}

func (d *jsonDecoder) object(depth int) (any, error) {
	if depth > maxJSONDepth {
		return nil, d.fail("nested too deeply")
	}
	d.i++ // '{'
	m := make(map[string]any)
	d.skipSpace()
	if d.i < len(d.b) && d.b[d.i] == '}' {
		d.i++
		return m, nil
	}
	for {
		if d.i >= len(d.b) || d.b[d.i] != '"' {
			return nil, d.fail("want an object member name")
		}
		k, err := d.str()
		if err != nil {
			return nil, err
		}
		d.skipSpace()
		if d.i >= len(d.b) || d.b[d.i] != ':' {
			return nil, d.fail("want ':'")
		}
		d.i++
		d.skipSpace()
		v, err := d.value(depth)
		if err != nil {
			return nil, err
		}
		m[k] = v
		d.skipSpace()
		if d.i < len(d.b) && d.b[d.i] == ',' {
			d.i++
			d.skipSpace()
			continue
		}
		if d.i < len(d.b) && d.b[d.i] == '}' {
			d.i++
			return m, nil
		}
		return nil, d.fail("want ',' or '}'")
	}
}

func (d *jsonDecoder) array(depth int) (any, error) {
	if depth > maxJSONDepth {
		return nil, d.fail("nested too deeply")
	}
	d.i++ // '['
	a := make([]any, 0)
	d.skipSpace()
	if d.i < len(d.b) && d.b[d.i] == ']' {
		d.i++
		return a, nil
	}
	for {
		v, err := d.value(depth)
		if err != nil {
			return nil, err
		}
		a = append(a, v)
		d.skipSpace()
		if d.i < len(d.b) && d.b[d.i] == ',' {
			d.i++
			d.skipSpace()
			continue
		}
		if d.i < len(d.b) && d.b[d.i] == ']' {
			d.i++
			return a, nil
		}
		return nil, d.fail("want ',' or ']'")
	}
}

// number consumes a number (RFC 8259 §6) and returns its text.
func (d *jsonDecoder) number() (any, error) {
	start := d.i
	digits := func() int {
		n := 0
		for d.i < len(d.b) && '0' <= d.b[d.i] && d.b[d.i] <= '9' {
			d.i++
			n++
		}
		return n
	}
	if d.b[d.i] == '-' {
		d.i++
	}
	if d.i < len(d.b) && d.b[d.i] == '0' {
		d.i++
	} else if digits() == 0 {
		return nil, d.fail("malformed number")
	}
	if d.i < len(d.b) && d.b[d.i] == '.' {
		d.i++
		if digits() == 0 {
			return nil, d.fail("malformed number")
		}
	}
	if d.i < len(d.b) && (d.b[d.i] == 'e' || d.b[d.i] == 'E') {
		d.i++
		if d.i < len(d.b) && (d.b[d.i] == '+' || d.b[d.i] == '-') {
			d.i++
		}
		if digits() == 0 {
			return nil, d.fail("malformed number")
		}
	}
	return json.Number(d.b[start:d.i]), nil
}

// str consumes a string (RFC 8259 §7) and returns its value, decoded as
// encoding/json decodes it.
func (d *jsonDecoder) str() (string, error) {
	d.i++ // '"'
	start := d.i
	// The common case: no escapes, valid UTF-8.
	for d.i < len(d.b) {
		c := d.b[d.i]
		if c == '"' {
			s := d.b[start:d.i]
			if utf8.Valid(s) {
				d.i++
				return string(s), nil
			}
			break
		}
		if c == '\\' || c < 0x20 {
			break
		}
		d.i++
	}
	d.i = start
	var out []byte
	for d.i < len(d.b) {
		c := d.b[d.i]
		switch {
		case c == '"':
			d.i++
			return string(out), nil
		case c < 0x20:
			return "", d.fail("control character in string")
		case c == '\\':
			r, err := d.escape()
			if err != nil {
				return "", err
			}
			out = utf8.AppendRune(out, r)
		case c < utf8.RuneSelf:
			out = append(out, c)
			d.i++
		default:
			r, size := utf8.DecodeRune(d.b[d.i:])
			out = utf8.AppendRune(out, r) // U+FFFD for each invalid byte
			d.i += size
		}
	}
	return "", d.fail("unterminated string")
}

// escape consumes the escape sequence at i and returns the rune it
// stands for: a surrogate pair becomes one rune, a lone surrogate U+FFFD.
func (d *jsonDecoder) escape() (rune, error) {
	if d.i+1 >= len(d.b) {
		return 0, d.fail("unterminated string")
	}
	c := d.b[d.i+1]
	d.i += 2
	switch c {
	case '"', '\\', '/':
		return rune(c), nil
	case 'b':
		return '\b', nil
	case 'f':
		return '\f', nil
	case 'n':
		return '\n', nil
	case 'r':
		return '\r', nil
	case 't':
		return '\t', nil
	case 'u':
		r := d.hex4(d.i)
		if r < 0 {
			return 0, d.fail("malformed \\u escape")
		}
		d.i += 4
		if !utf16.IsSurrogate(r) {
			return r, nil
		}
		if d.i+1 < len(d.b) && d.b[d.i] == '\\' && d.b[d.i+1] == 'u' {
			if r2 := d.hex4(d.i + 2); r2 >= 0 {
				if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
					d.i += 6
					return dec, nil
				}
			}
		}
		return utf8.RuneError, nil
	}
	return 0, d.fail("malformed escape")
}

// hex4 returns the value of the four hex digits at j, or -1.
func (d *jsonDecoder) hex4(j int) rune {
	if j+4 > len(d.b) {
		return -1
	}
	var r rune
	for _, c := range d.b[j : j+4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r<<4 | rune(c)
	}
	return r
}
