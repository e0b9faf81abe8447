package oauth2

// SetJoinHook makes f run each time a caller starts or joins a refresh of
// s, before it waits for the result, so that tests know when every caller
// waits without sleeping. Set it before s is used.
func SetJoinHook(s *Session, f func()) { s.joined = f }
