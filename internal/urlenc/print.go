package urlenc

import (
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"
)

// Format writes s, a value's redacted description (its String), for any
// fmt verb: quoted with [strconv.Quote] for %q, as it is for every other
// verb (%v, %+v, %#v, %s, %x, ...). A type whose Format method calls it
// prints nothing but s, whatever the verb, so no fmt path reaches its
// fields.
func Format(f fmt.State, verb rune, s string) {
	if verb == 'q' {
		s = strconv.Quote(s)
	}
	io.WriteString(f, s)
}

// IsLoopback reports whether host, a URL's host name without port or
// brackets (url.URL.Hostname), is "localhost" in any case or a loopback IP
// address (127.0.0.0/8, ::1): the hosts to which credentials may travel
// over plain http, since their traffic never leaves the machine (RFC 8252
// §7.3).
func IsLoopback(host string) bool {
	if strings.ToLower(host) == "localhost" {
		return true
	}
	// Unmap: an IPv4-mapped address (::ffff:127.0.0.1) is loopback in
	// every Go release, not only since its netip says so.
	a, err := netip.ParseAddr(host)
	return err == nil && a.Unmap().IsLoopback()
}
