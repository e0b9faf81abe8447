package urlenc

import (
	"slices"
	"strings"
)

// Param is one name/value pair of a query string, a form body or an OAuth
// protocol parameter set.
type Param struct {
	Key   string
	Value string
}

// Params is an ordered list of parameters. Unlike url.Values it keeps the
// order parameters arrived in, repeated keys, and empty values, all of which
// OAuth 1 signs. The zero value is an empty list ready to use.
type Params []Param

// ParseForm parses application/x-www-form-urlencoded text, as found in a
// query string or a form body: pairs separated by '&', names and values
// separated by the first '=', '+' decoded as a space and %XX decoded. A pair
// without '=' has an empty value; empty pairs ("a=1&&b=2") are skipped.
// A malformed escape is an [*EscapeError]; the pairs before it are returned
// with it.
func ParseForm(s string) (Params, error) {
	return AppendParseForm(nil, s)
}

// AppendParseForm is [ParseForm] appending to p, so that a caller with a
// reusable slice parses without allocating one.
func AppendParseForm(p Params, s string) (Params, error) {
	for s != "" {
		var pair string
		pair, s, _ = strings.Cut(s, "&")
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		key, err := FormUnescape(k)
		if err != nil {
			return p, err
		}
		val, err := FormUnescape(v)
		if err != nil {
			return p, err
		}
		p = append(p, Param{key, val})
	}
	return p, nil
}

// Get returns the first value for key, or "" if there is none.
func (p Params) Get(key string) string {
	v, _ := p.Lookup(key)
	return v
}

// Lookup returns the first value for key and whether key is present.
func (p Params) Lookup(key string) (string, bool) {
	for _, kv := range p {
		if kv.Key == key {
			return kv.Value, true
		}
	}
	return "", false
}

// Has reports whether key is present, with any value.
func (p Params) Has(key string) bool {
	_, ok := p.Lookup(key)
	return ok
}

// Values returns every value for key, in order.
func (p Params) Values(key string) []string {
	var vs []string
	for _, kv := range p {
		if kv.Key == key {
			vs = append(vs, kv.Value)
		}
	}
	return vs
}

// Count returns how many times key is present.
func (p Params) Count(key string) int {
	n := 0
	for _, kv := range p {
		if kv.Key == key {
			n++
		}
	}
	return n
}

// Add appends a key/value pair.
func (p *Params) Add(key, value string) {
	*p = append(*p, Param{key, value})
}

// Set replaces every value of key with value, keeping the position of the
// first occurrence, or appends the pair if key is absent.
func (p *Params) Set(key, value string) {
	for i, kv := range *p {
		if kv.Key == key {
			(*p)[i].Value = value
			p.delFrom(key, i+1)
			return
		}
	}
	p.Add(key, value)
}

// Del removes every pair with the given key.
func (p *Params) Del(key string) { p.delFrom(key, 0) }

func (p *Params) delFrom(key string, from int) {
	tail := slices.DeleteFunc((*p)[from:], func(kv Param) bool { return kv.Key == key })
	*p = (*p)[:from+len(tail)]
}

// Clone returns a copy of p that shares no storage with it.
func (p Params) Clone() Params {
	if p == nil {
		return nil
	}
	return slices.Clone(p)
}

// Encode returns the parameters as application/x-www-form-urlencoded text
// (RFC 6749 Appendix B), in their order. It is the inverse of [ParseForm].
func (p Params) Encode() string {
	return string(p.AppendEncode(nil))
}

// AppendEncode appends [Params.Encode] to dst.
func (p Params) AppendEncode(dst []byte) []byte {
	for i, kv := range p {
		if i > 0 {
			dst = append(dst, '&')
		}
		dst = AppendFormEscape(dst, kv.Key)
		dst = append(dst, '=')
		dst = AppendFormEscape(dst, kv.Value)
	}
	return dst
}
