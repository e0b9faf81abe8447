//go:build race

package oauth1_test

// raceEnabled: the race detector changes allocation counts (sync.Pool
// drops items at random), so tests of them skip.
const raceEnabled = true

const raceSkip = "the race detector changes allocation counts"
