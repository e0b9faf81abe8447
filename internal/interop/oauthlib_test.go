package interop

// What the oauthlib tests share: finding a Python with oauthlib, the test
// credentials, the known oauthlib defects (quirks) and how a case that one
// of them marks is judged, and the Python processes.

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/oauthkit/oauth/oauth1"
)

// oauthlibVersion is the release whose behaviour (and defects) the tests
// know: Debian's python3-oauthlib.
const oauthlibVersion = "3.2.2"

// Test credentials, made up for these tests. provider.py knows the consumer
// keys and secrets too; the Go side plays the client and the verifier.
const (
	hmacKey     = "interopconsumerkey0001"
	hmacSecret  = "kd94hf93 k423&kf44+/=\u00e9~" // reserved, space, non-ASCII
	rsaKey      = "interopRSAconsumerkey01"
	plainKey    = "interopplainconsumer01"
	plainSecret = "alnumSecret0123" // nothing to percent-encode

	accessToken  = "interopaccesstoken000001"
	accessSecret = "ts3cr3t &\u00e9"
)

// A quirk is a documented defect of oauthlib 3.2.2 that makes a case fail.
// A case marked with one must fail, and fail the way the quirk says
// (match); if it passes, the quirk is gone or the case no longer reaches
// it, and the mark is stale.
type quirk struct {
	id, doc string
	match   func(error) bool
}

// Q1 oauth_* values from query/body are percent-decoded twice
// (common.urldecode, then signature.collect_parameters' utils.unescape):
// an oauth_callback holding %XX is signed and checked in its twice-decoded
// form. Its client and server agree with each other, not with RFC 5849
// §3.4.1.3.1 (TestOAuthlibQuirksWithoutOAuthkit). Header placement is
// unaffected.
var q1 = quirk{"Q1", "oauthlib percent-decodes oauth_* values from the query and body twice, so an oauth_callback holding %XX is not the one signed",
	func(err error) bool { return httpStatus(err) == 401 || verifierSentinel(err) == "ErrInvalidSignature" }}

// Q2 is the same double decoding on oauth_signature: PLAINTEXT in query or
// body fails whenever the consumer or token secret has a character that
// percent-encodes; oauthlib's own Client fails against its own endpoint
// (TestOAuthlibQuirksWithoutOAuthkit).
var q2 = quirk{"Q2", "oauthlib percent-decodes a PLAINTEXT oauth_signature from the query or body twice, so a secret that percent-encodes never matches",
	func(err error) bool { return httpStatus(err) == 401 }}

// Q5: Client.sign(body=[(k,v),...]) turns the list into a dict, so repeated
// keys are lost. No case is marked with it: TestOAuthlibClient passes form
// bodies as encoded strings, which oauthlib keeps as they are.

// Q6: a query with raw (unescaped) non-ASCII bytes raises ValueError in
// oauthlib's Request() (common.urldecode), a 500 from provider.py; net/http
// sends URL.RawQuery as it is.
var q6 = quirk{"Q6", "oauthlib refuses a query with raw non-ASCII bytes (ValueError in common.urldecode)",
	func(err error) bool {
		var e *providerError
		return errors.As(err, &e) && e.status == 500 && strings.Contains(e.body, "ValueError")
	}}

// Q7: any oauth_* name counts as a protocol parameter: an application's
// oauth_x query parameter plus header placement is refused ("oauth_ params
// must come from only 1 signature type"); RFC 5849 §3.4.1.3.1 signs it as
// any query parameter.
var q7 = quirk{"Q7", "oauthlib takes every oauth_* name as a protocol parameter and refuses oauth_* names from two places",
	func(err error) bool {
		var e *providerError
		return errors.As(err, &e) && e.status == 401 && strings.Contains(e.oauthlibErr, "only 1 signature")
	}}

// Also, not marked on any case: oauthlib reads the realm of a token request
// as a space-separated list checked against validator.realms (provider.py
// accepts any), and http.server decodes headers as latin-1 (provider.py
// re-decodes them as UTF-8).

// judge reports the outcome of one case: err is nil when it passed, q is
// the quirk that marks it (nil for none), detail what helps a reader.
func judge(t testing.TB, q *quirk, err error, detail string) {
	t.Helper()
	switch {
	case q == nil && err != nil:
		t.Errorf("%v\n%s", err, detail)
	case q == nil:
		if testing.Verbose() && detail != "" {
			t.Logf("%s", detail)
		}
	case err == nil:
		t.Errorf("passed, but is marked with quirk %s (%s): the quirk annotation is stale\n%s", q.id, q.doc, detail)
	case !q.match(err):
		t.Errorf("fails, but not as quirk %s says (%s): %v\n%s", q.id, q.doc, err, detail)
	default:
		t.Logf("expected failure, quirk %s (%s): %v", q.id, q.doc, err)
	}
}

// httpStatus is the status of a provider's error response, or 0.
func httpStatus(err error) int {
	var oe *oauth1.Error
	if errors.As(err, &oe) {
		return oe.StatusCode
	}
	var pe *providerError
	if errors.As(err, &pe) {
		return pe.status
	}
	return 0
}

// providerError is a protected request that provider.py refused or could
// not handle.
type providerError struct {
	status      int
	oauthlibErr string // provider.py's create_request_error
	body        string
	log         any // oauthlib's validator_log
}

func (e *providerError) Error() string {
	if e.oauthlibErr != "" || e.log != nil {
		return fmt.Sprintf("refused by oauthlib (status %d, validator log %v, error %s)", e.status, e.log, e.oauthlibErr)
	}
	return fmt.Sprintf("provider status %d, body %q", e.status, e.body)
}

// verifierError is a request signed by oauthlib that oauth1.Verifier
// refused, or refused with the wrong sentinel.
type verifierError struct {
	sentinel, msg string
}

func (e *verifierError) Error() string {
	return fmt.Sprintf("oauth1.Verifier: %s (sentinel %s)", e.msg, e.sentinel)
}

func verifierSentinel(err error) string {
	var e *verifierError
	if errors.As(err, &e) {
		return e.sentinel
	}
	return ""
}

var (
	pythonOnce sync.Once
	pythonPath string
	pythonWhy  string // why no Python with oauthlib was found
)

// python returns a Python interpreter that imports oauthlib 3.2.2:
// $OAUTHKIT_PYTHON if set, else python3 on $PATH, else /usr/bin/python3
// (where Debian's python3-oauthlib installs it, when $PATH leads to
// another Python). When there is none, the test is skipped, or fails if
// OAUTHKIT_REQUIRE_OAUTHLIB=1 (as in CI).
func python(t testing.TB) string {
	t.Helper()
	pythonOnce.Do(func() {
		var cands []string
		if p := os.Getenv("OAUTHKIT_PYTHON"); p != "" {
			cands = []string{p}
		} else {
			if p, err := exec.LookPath("python3"); err == nil {
				cands = append(cands, p)
			}
			cands = append(cands, "/usr/bin/python3")
		}
		var why []string
		for _, p := range cands {
			out, err := exec.Command(p, "-c", "import oauthlib, oauthlib.oauth1, jwt, cryptography; print(oauthlib.__version__)").CombinedOutput()
			v := strings.TrimSpace(string(out))
			switch {
			case err != nil:
				why = append(why, strings.TrimSuffix(fmt.Sprintf("%s: %v: %s", p, err, lastLine(v)), ": "))
			case v != oauthlibVersion:
				why = append(why, fmt.Sprintf("%s: oauthlib %s, the tests know %s", p, v, oauthlibVersion))
			default:
				pythonPath = p
				return
			}
		}
		pythonWhy = strings.Join(why, "; ")
	})
	if pythonPath == "" {
		msg := "no python3 that imports oauthlib " + oauthlibVersion + " with its RSA dependencies (Debian: apt-get install python3-oauthlib): " + pythonWhy
		if os.Getenv("OAUTHKIT_REQUIRE_OAUTHLIB") == "1" {
			t.Fatal(msg + " (OAUTHKIT_REQUIRE_OAUTHLIB=1)")
		}
		t.Skip(msg + " (set OAUTHKIT_REQUIRE_OAUTHLIB=1 to fail instead)")
	}
	return pythonPath
}

func lastLine(s string) string {
	if i := strings.LastIndex(s, "\n"); i >= 0 {
		return s[i+1:]
	}
	return s
}

var (
	keyOnce sync.Once
	key     *rsa.PrivateKey
	keyErr  error
)

// testKey is an RSA key generated for this test run: the RSA consumer's.
func testKey(t testing.TB) *rsa.PrivateKey {
	t.Helper()
	keyOnce.Do(func() { key, keyErr = rsa.GenerateKey(rand.Reader, 2048) })
	if keyErr != nil {
		t.Fatal(keyErr)
	}
	return key
}

// pythonEnv is the environment of the Python scripts: the test key in PEM.
func pythonEnv(t testing.TB) []string {
	t.Helper()
	k := testKey(t)
	pub, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return append(os.Environ(),
		"OAUTHLIB_INTEROP_RSA_PRIVATE_PEM="+string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)})),
		"OAUTHLIB_INTEROP_RSA_PUBLIC_PEM="+string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub})),
	)
}

// A proc is a running Python script of testdata/oauthlib.
type proc struct {
	name   string
	stdin  io.WriteCloser
	stdout *bufio.Reader
	stderr *lockedBuffer
	cmd    *exec.Cmd
	once   sync.Once
}

// script starts testdata/oauthlib/name with args. The process is stopped
// when the test ends, and what it wrote to stderr is logged then if the
// test failed.
func script(t testing.TB, name string, args ...string) *proc {
	t.Helper()
	py := python(t)
	p := &proc{name: name, stderr: &lockedBuffer{}}
	p.cmd = exec.Command(py, append([]string{filepath.Join("testdata", "oauthlib", name)}, args...)...)
	p.cmd.Env = pythonEnv(t)
	p.cmd.Stderr = p.stderr
	var err error
	if p.stdin, err = p.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p.stdout = bufio.NewReaderSize(stdout, 1<<16)
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		p.stop()
		if t.Failed() && p.stderr.Len() > 0 {
			t.Logf("%s stderr:\n%s", name, p.stderr.String())
		}
	})
	return p
}

// stop ends the process and waits for it; it may be called more than once.
func (p *proc) stop() {
	p.once.Do(func() {
		p.stdin.Close()
		p.cmd.Process.Kill()
		p.cmd.Wait()
	})
}

// lockedBuffer is a bytes.Buffer that exec's copying goroutine and the test
// may use at once.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.buf.Len() > 1<<16 {
		return len(p), nil // enough to diagnose
	}
	return b.buf.Write(p)
}

func (b *lockedBuffer) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Len()
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestOAuthlibQuirksWithoutOAuthkit runs oauthlib's Client against its own
// SignatureOnlyEndpoint (testdata/oauthlib/quirks.py), with no oauthkit
// code involved: Q2 makes oauthlib refuse its own PLAINTEXT signatures in
// the query and body, while Q1's double decoding is the same on both of its
// sides, so oauthlib accepts its own callbacks holding %XX.
func TestOAuthlibQuirksWithoutOAuthkit(t *testing.T) {
	py := python(t)
	t.Parallel()
	cmd := exec.Command(py, filepath.Join("testdata", "oauthlib", "quirks.py"))
	cmd.Env = pythonEnv(t)
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("quirks.py: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("quirks.py: %v", err)
	}
	var want []string
	for _, st := range []string{"AUTH_HEADER", "QUERY", "BODY"} {
		plaintext := "FAIL" // Q2
		if st == "AUTH_HEADER" {
			plaintext = "OK"
		}
		want = append(want,
			"OK\tHMAC-SHA1, callback with %20\t"+st, // Q1: consistent with itself
			"OK\tHMAC-SHA1, callback without escapes\t"+st,
			plaintext+"\tPLAINTEXT, secret with ' &+/=\u00e9'\t"+st,
		)
	}
	got := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("quirks.py output (-want +got):\n%s", diff)
	}
}
