package oauth1

import (
	"errors"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// A few providers answer the token requests with a JSON object instead of
// a form. parseJSONObject reads that object (RFC 8259) without
// encoding/json, whose weight every program that signs requests would
// otherwise carry.

// maxJSONDepth bounds the nesting of the arrays and objects in a member's
// value.
const maxJSONDepth = 64

var errJSON = errors.New("malformed json object")

// parseJSONObject returns the members of the JSON object data holds, with
// optional whitespace around it and nothing else. A string value is
// returned decoded, any other value as its JSON text (a number as written,
// true, false, an array or an object), and a null member not at all. A
// name that appears more than once keeps its first place and takes its
// last value, null included, as encoding/json keeps the last. Invalid
// UTF-8 and lone surrogates in strings become U+FFFD, as in encoding/json.
// Anything else is errJSON.
func parseJSONObject(data []byte) (urlenc.Params, error) {
	type member struct{ name, value string }
	var members []member
	r := &jsonReader{s: string(data)}
	if !r.skip('{') {
		return nil, errJSON
	}
	for first := true; !r.skip('}'); first = false {
		if !first && !r.skip(',') {
			return nil, errJSON
		}
		name, ok := r.str()
		if !ok || !r.skip(':') {
			return nil, errJSON
		}
		value, ok := r.value(0)
		if !ok {
			return nil, errJSON
		}
		members = append(members, member{name, value})
	}
	if r.space(); r.i != len(r.s) {
		return nil, errJSON
	}

	last := make(map[string]int, len(members)) // the last member of each name
	for i, m := range members {
		last[m.name] = i
	}
	var p urlenc.Params
	for _, m := range members {
		i, ok := last[m.name]
		if !ok {
			continue // done at its first place
		}
		delete(last, m.name)
		if v := members[i].value; v != "null" {
			if v[0] == '"' {
				v, _ = (&jsonReader{s: v}).str()
			}
			p.Add(m.name, v)
		}
	}
	return p, nil
}

// jsonReader reads JSON text from s, at i.
type jsonReader struct {
	s string
	i int
}

// space skips whitespace.
func (r *jsonReader) space() {
	for r.i < len(r.s) && strings.IndexByte(" \t\r\n", r.s[r.i]) >= 0 {
		r.i++
	}
}

// skip reads c, after whitespace, if it comes next.
func (r *jsonReader) skip(c byte) bool {
	if r.space(); r.i < len(r.s) && r.s[r.i] == c {
		r.i++
		return true
	}
	return false
}

// value reads a value, after whitespace, and returns its JSON text: a
// string, a number, true, false, null, or an array or object at most
// maxJSONDepth-depth deep, each checked but not decoded.
func (r *jsonReader) value(depth int) (string, bool) {
	r.space()
	start := r.i
	ok := true
	switch {
	case r.i == len(r.s):
		return "", false
	case r.s[r.i] == '"':
		_, ok = r.str()
	case r.s[r.i] == '{' || r.s[r.i] == '[':
		ok = r.container(depth)
	case strings.HasPrefix(r.s[r.i:], "true"):
		r.i += len("true")
	case strings.HasPrefix(r.s[r.i:], "false"):
		r.i += len("false")
	case strings.HasPrefix(r.s[r.i:], "null"):
		r.i += len("null")
	default:
		ok = r.number()
	}
	return r.s[start:r.i], ok
}

// container reads an array or an object.
func (r *jsonReader) container(depth int) bool {
	if depth == maxJSONDepth {
		return false
	}
	open := r.s[r.i]
	end := byte(']')
	if open == '{' {
		end = '}'
	}
	r.i++
	for first := true; !r.skip(end); first = false {
		if !first && !r.skip(',') {
			return false
		}
		if open == '{' {
			if _, ok := r.str(); !ok || !r.skip(':') {
				return false
			}
		}
		if _, ok := r.value(depth + 1); !ok {
			return false
		}
	}
	return true
}

// number reads -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?.
func (r *jsonReader) number() bool {
	digits := func() bool {
		n := r.i
		for r.i < len(r.s) && '0' <= r.s[r.i] && r.s[r.i] <= '9' {
			r.i++
		}
		return r.i > n
	}
	next := func(set string) bool {
		if r.i < len(r.s) && strings.IndexByte(set, r.s[r.i]) >= 0 {
			r.i++
			return true
		}
		return false
	}
	next("-")
	if !next("0") && !digits() {
		return false
	}
	if next(".") && !digits() {
		return false
	}
	if next("eE") {
		next("+-")
		return digits()
	}
	return true
}

// str reads a string, after whitespace, and returns it decoded.
func (r *jsonReader) str() (string, bool) {
	if !r.skip('"') {
		return "", false
	}
	var b strings.Builder
	for r.i < len(r.s) {
		c := r.s[r.i]
		switch {
		case c == '"':
			r.i++
			return b.String(), true
		case c < 0x20:
			return "", false
		case c == '\\':
			if !r.escape(&b) {
				return "", false
			}
		case c < utf8.RuneSelf:
			b.WriteByte(c)
			r.i++
		default:
			// One U+FFFD for each byte that is not UTF-8, as
			// encoding/json writes.
			rn, size := utf8.DecodeRuneInString(r.s[r.i:])
			b.WriteRune(rn)
			r.i += size
		}
	}
	return "", false
}

// escape reads a backslash escape and writes what it stands for.
func (r *jsonReader) escape(b *strings.Builder) bool {
	if r.i+1 == len(r.s) {
		return false
	}
	e := r.s[r.i+1]
	r.i += 2
	if i := strings.IndexByte(`"\/bfnrt`, e); i >= 0 {
		b.WriteByte("\"\\/\b\f\n\r\t"[i])
		return true
	}
	if e != 'u' {
		return false
	}
	c, ok := r.hex4()
	if !ok {
		return false
	}
	if utf16.IsSurrogate(c) {
		// A high surrogate and a low one are one character; a surrogate
		// without its other half is U+FFFD, and what follows it is read
		// on its own.
		save, pair := r.i, utf8.RuneError
		if strings.HasPrefix(r.s[r.i:], `\u`) {
			r.i += 2
			if low, ok := r.hex4(); ok {
				pair = utf16.DecodeRune(c, low)
			}
		}
		if pair == utf8.RuneError {
			r.i = save
		}
		c = pair
	}
	b.WriteRune(c)
	return true
}

// hex4 reads the four hex digits of a \u escape.
func (r *jsonReader) hex4() (rune, bool) {
	if len(r.s)-r.i < 4 {
		return 0, false
	}
	var v rune
	for _, c := range []byte(r.s[r.i : r.i+4]) {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		v = v<<4 | rune(c)
	}
	r.i += 4
	return v, true
}
