package tokenstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/oauthkit/oauth/internal/urlenc"
	"github.com/oauthkit/oauth/oauth2"
)

// DefaultMaxBytes is the most File reads of its file when MaxBytes is 0.
const DefaultMaxBytes = 1 << 20

// File is an oauth2.TokenStore and oauth2.TokenLocker on the file at
// Path (see the package doc for what holds). Its zero value with Path set
// is ready to use; it must not be copied after first use. A File is safe
// for concurrent use by multiple goroutines, and any number of Files, in
// any processes, may share one path.
type File struct {
	// Path names the token file; its directory must exist. The lock is
	// Path + ".lock". Anything at Path but a regular file (a directory,
	// a FIFO, a device) fails Load and Save with an error.
	Path string
	// MaxBytes bounds a read of the file; if 0, DefaultMaxBytes. A larger
	// file fails to load with an error wrapping *http.MaxBytesError, and a
	// token whose JSON is larger fails to save.
	MaxBytes int64

	// mu orders this File's writes, and guards held: the number of
	// locks (0 or 1) that this File's Lock holds. A Save while held is
	// set writes under that lock; any other Save takes the lock itself.
	mu   sync.Mutex
	held int
}

func (f *File) maxBytes() int64 {
	if f.MaxBytes > 0 {
		return f.MaxBytes
	}
	return DefaultMaxBytes
}

// Load implements oauth2.TokenStore: it returns the token in the file and
// its version, or nil and "" when the file is missing or empty. A file
// that does not hold a token (bytes that are not a token's JSON, JSON
// null, a token with neither access token nor refresh token) holds none:
// Load returns nil and the file's version, and a Save in place of that
// version replaces it. A UTF-8 byte order mark before the JSON is
// skipped. A file larger than MaxBytes is an error wrapping
// *http.MaxBytesError. Load takes no lock: a Save replaces the file whole.
func (f *File) Load(ctx context.Context) (*oauth2.Token, string, error) {
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	b, err := f.read(ctx)
	if err != nil || len(b) == 0 {
		return nil, "", err
	}
	var tok oauth2.Token
	err = json.Unmarshal(bytes.TrimPrefix(b, []byte("\ufeff")), &tok)
	if err != nil || tok.AccessToken == "" && tok.RefreshToken == "" {
		return nil, version(b), nil
	}
	return &tok, version(b), nil
}

// Save implements oauth2.TokenStore: under the lock, it replaces the
// file's token with tok if the file's version is still prev ("" for a
// missing or empty file), atomically and durably, and returns the new
// version; otherwise it writes nothing and returns an error wrapping
// oauth2.ErrStoreConflict. It waits for the lock until ctx is done, unless
// this File holds it.
func (f *File) Save(ctx context.Context, tok *oauth2.Token, prev string) (string, error) {
	if tok == nil {
		return "", errors.New("tokenstore: Save of a nil token")
	}
	data, err := json.Marshal(tok)
	if err != nil {
		return "", fmt.Errorf("tokenstore: %w", err)
	}
	data = append(data, '\n')
	if n := f.maxBytes(); int64(len(data)) > n {
		return "", fmt.Errorf("tokenstore: %w", urlenc.TooLarge("the token's JSON", n))
	}
	release, err := f.writeLock(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	cur, err := f.read(ctx)
	if err != nil {
		return "", err
	}
	if v := version(cur); v != prev {
		return "", fmt.Errorf("tokenstore: %q changed since it was read: %w", f.Path, oauth2.ErrStoreConflict)
	}
	if err := writeAtomic(ctx, f.Path, data); err != nil {
		return "", err
	}
	return version(data), nil
}

// Lock implements oauth2.TokenLocker: it waits until it holds the lock
// on Path + ".lock", or ctx is done, and returns the function that
// releases it (once; later calls do nothing). A Save of this File while
// it holds the lock writes under it. When ctx ends the wait, a goroutine
// goes on waiting for the lock and releases it as soon as it gets it.
func (f *File) Lock(ctx context.Context) (func(), error) {
	unlock, err := lockFile(ctx, f.lockPath())
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	f.held++
	f.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			f.mu.Lock()
			f.held--
			f.mu.Unlock()
			unlock()
		})
	}, nil
}

// writeLock makes the caller the one writer of the file: it takes f.mu,
// and the file lock unless this File holds it already. It never waits for
// the file lock while holding f.mu, which a Lock that got the file lock
// needs.
func (f *File) writeLock(ctx context.Context) (release func(), err error) {
	f.mu.Lock()
	if f.held > 0 {
		return f.mu.Unlock, nil
	}
	f.mu.Unlock()
	unlock, err := lockFile(ctx, f.lockPath())
	if err != nil {
		return nil, err
	}
	f.mu.Lock() // held is 0: this goroutine holds the file lock
	return func() { f.mu.Unlock(); unlock() }, nil
}

func (f *File) lockPath() string { return f.Path + ".lock" }

// read returns the file's bytes, nil when it is missing.
func (f *File) read(ctx context.Context) ([]byte, error) {
	var fh *os.File
	err := retry(ctx, func() error {
		var err error
		// Non-blocking, so that a FIFO put at Path does not block the
		// open until a writer comes; it is refused below.
		fh, err = os.OpenFile(f.Path, os.O_RDONLY|openNonblock, 0)
		return err
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("tokenstore: %w", err)
	}
	defer fh.Close()
	if fi, err := fh.Stat(); err != nil || !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("tokenstore: %q is not a regular file", f.Path)
	}
	n := f.maxBytes()
	// One byte more tells a larger file; at math.MaxInt64 it would wrap
	// around and read nothing.
	b, err := io.ReadAll(io.LimitReader(fh, min(n, math.MaxInt64-1)+1))
	if err != nil {
		return nil, fmt.Errorf("tokenstore: %w", err)
	}
	if int64(len(b)) > n {
		return nil, fmt.Errorf("tokenstore: %q: %w", f.Path, urlenc.TooLarge("the file", n))
	}
	return b, nil
}

// version is the version of a file holding b: "" when it is empty.
func version(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// writeAtomic replaces the file at path with one holding data: it writes
// a temporary file in the same directory (mode 0600), syncs it, renames it
// over path and syncs the directory.
func writeAtomic(ctx context.Context, path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("tokenstore: %w", err)
	}
	name := tmp.Name()
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(name)
			err = fmt.Errorf("tokenstore: %w", err)
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := retry(ctx, func() error { return os.Rename(name, path) }); err != nil {
		return err
	}
	return syncDir(dir)
}

// retry calls f until it succeeds or fails for a reason other than a
// transient one (see transient), for at most a second or until ctx is
// done: on Windows another process's reader can keep a file from being
// opened or replaced for a moment.
func retry(ctx context.Context, f func() error) error {
	err := f()
	if err == nil || !transient(err) {
		return err
	}
	deadline := time.Now().Add(time.Second)
	for wait := time.Millisecond; time.Now().Before(deadline); wait = min(2*wait, 100*time.Millisecond) {
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
		if err = f(); err == nil || !transient(err) {
			return err
		}
	}
	return err
}
