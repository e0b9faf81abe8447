package urlenc

import "testing"

// BenchmarkEscape escapes a typical OAuth value: a status text with spaces
// and punctuation (the Twitter signature example).
func BenchmarkEscape(b *testing.B) {
	const s = "Hello Ladies + Gentlemen, a signed OAuth request!"
	b.ReportAllocs()
	buf := make([]byte, 0, 128)
	for i := 0; i < b.N; i++ {
		buf = AppendEscape(buf[:0], s)
	}
	sinkBytes = buf
}
