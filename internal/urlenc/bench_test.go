package urlenc

import "testing"

var rfcParams = Params{
	{"b5", "=%3D"}, {"a3", "a"}, {"c@", ""}, {"a2", "r b"},
	{"oauth_consumer_key", "9djdj82h48djs9d2"}, {"oauth_token", "kkk9d7dh3k39sjv7"},
	{"oauth_signature_method", "HMAC-SHA1"}, {"oauth_timestamp", "137131201"},
	{"oauth_nonce", "7d8f3e4a"}, {"c2", ""}, {"a3", "2 q"},
}

// BenchmarkEscape escapes a typical OAuth value: a status text with spaces
// and punctuation (the Twitter signature example).
func BenchmarkEscape(b *testing.B) {
	const s = "Hello Ladies + Gentlemen, a signed OAuth request!"
	b.Run("Append", func(b *testing.B) {
		b.ReportAllocs()
		buf := make([]byte, 0, 128)
		for i := 0; i < b.N; i++ {
			buf = AppendEscape(buf[:0], s)
		}
		sinkBytes = buf
	})
	b.Run("String", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			sinkString = Escape(s)
		}
	})
}

// BenchmarkNormalize normalizes the RFC 5849 §3.4.1 parameter set.
func BenchmarkNormalize(b *testing.B) {
	b.Run("AppendNormalizedEscaped", func(b *testing.B) {
		b.ReportAllocs()
		p := make(Params, len(rfcParams))
		buf := make([]byte, 0, 512)
		for i := 0; i < b.N; i++ {
			copy(p, rfcParams)
			buf = AppendNormalizedEscaped(buf[:0], p)
		}
		sinkBytes = buf
	})
	b.Run("Normalize", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			sinkString = Normalize(rfcParams)
		}
	})
}
