// Package tokenstore provides [File], an [oauth2.TokenStore] on a file,
// with a lock that works across processes ([oauth2.TokenLocker]): the
// processes of one host that share a grant (replicas, a CLI run twice at
// once) set it as their sessions' Store and refresh the grant once
// between them. It uses the standard library only. A fleet across hosts
// needs a store on a shared database instead; examples/redisstore shows
// one.
//
//	s := cfg.NewSession(nil) // the stored token, at its first use
//	s.Store = &tokenstore.File{Path: filepath.Join(dir, "token.json")}
//
// The example of [File] shows two sessions, standing for two processes,
// sharing one grant this way.
//
// # What holds
//
// The file holds the token as [oauth2.Token] marshals it to JSON, so a
// token saved by hand (or by golang.org/x/oauth2) loads. Its version is
// the SHA-256 of its bytes: any change, a hand edit included, is a new
// version.
//
// Save is atomic and durable: the token is written to a temporary file in
// the same directory (mode 0600), synced to disk, renamed over the file,
// and the directory is synced (on Windows, where a directory cannot be
// synced, the rename is as durable as NTFS makes it). A reader sees the
// old token or the new one, whole, never a mix; after a crash the file
// holds one of them, and a stray temporary file named ".<name>.*.tmp" may
// remain, which nothing reads. The compare of Save's compare-and-swap and
// its write happen under the lock, so of two Saves in place of one
// version, in any processes, one wins and the other gets an error
// wrapping [oauth2.ErrStoreConflict]. A missing or empty file holds no
// token (version ""). Nor does a file that does not hold a token's JSON,
// or holds a token with neither access token nor refresh token (a
// truncated or hand-edited file): Load returns no token and the file's
// version, so that the next session to obtain a token saves it over the
// file rather than fail on it. Reads stop at MaxBytes.
//
// The lock is an operating-system lock on a second file, the path with
// ".lock" appended, created with mode 0600 and never removed (removing it
// would let two holders lock two different files): flock(2) on Linux,
// macOS and the BSDs, LockFileEx on Windows. It is exclusive across
// processes, and between File values in one process. The operating
// system releases it when its holder unlocks or closes it, or dies, by a
// crash or SIGKILL alike: a dead holder never leaves a stale lock, and
// the next waiter gets it at once. A holder that hangs keeps it; waiters
// give up when their context ends, which for a session is its refresh's
// bound, Config.Timeout. Such locks are not reliable on network file
// systems (NFS, SMB): keep the file on a local disk. On other systems
// (Solaris, AIX, Plan 9, js, wasip1) Lock fails with an error wrapping
// errors.ErrUnsupported.
package tokenstore
