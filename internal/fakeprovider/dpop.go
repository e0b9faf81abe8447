package fakeprovider

// DPoP (RFC 9449): checking proofs as a strict server does (§4.3), the
// server nonces of §8 and §9, and the challenges of §7.1.

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// DPoPOptions configures DPoP (RFC 9449) at the token, PAR, resource and
// UserInfo endpoints. Its fields are part of [OAuth2] (embedded); set them
// before the first request.
//
// A request with a DPoP header has its proof checked as RFC 9449 §4.3 says:
// one header holding a compact JWS; typ "dpop+jwt"; an alg of ES256, ES384,
// ES512, EdDSA (Ed25519), PS256, PS384, PS512, RS256, RS384 or RS512; a
// public jwk (RSA of at least 2048 bits, EC on the alg's curve, OKP
// Ed25519) without private members that verifies the signature; claims jti
// (at most 256 characters, never seen before within the window), htm (the
// request's method), htu (the request's URI without query, compared after
// RFC 3986 §6.2.2 and §6.2.3 normalization; a query or fragment in htu is
// refused), iat (within DPoPProofWindow of Now), ath (base64url SHA-256 of
// the access token, at the resource and UserInfo endpoints), and nonce when
// the endpoint demands one. A failed check is answered with
// invalid_dpop_proof (400 at the token and PAR endpoints, 401 with
// WWW-Authenticate: DPoP error="invalid_dpop_proof" at the resource and
// UserInfo endpoints); a missing or stale nonce with use_dpop_nonce and a
// DPoP-Nonce header.
//
// A token request with a valid proof gets tokens bound to the proof key's
// RFC 7638 thumbprint: token_type "DPoP", and cnf.jkt and token_type "DPoP"
// in introspection (RFC 9449 §6.2). The refresh token of a public client
// is bound too, and refreshing it needs a proof by the same key (§5); a
// confidential client's refresh token is not bound. An authorization code
// requested with dpop_jkt (or pushed with a DPoP proof) is redeemed only
// with a proof by that key (§10). A bound access token is accepted only as
// Authorization: DPoP with a proof by its key: sent as Bearer, or with
// another key's proof, it gets 401 WWW-Authenticate: DPoP
// error="invalid_token" (§7.1, §7.2).
type DPoPOptions struct {
	// RequireDPoP makes the token endpoint refuse token requests without a
	// DPoP proof (invalid_dpop_proof), as for clients registered with
	// dpop_bound_access_tokens (RFC 9449 §5.2).
	RequireDPoP bool
	// RequireDPoPNonce makes the token and PAR endpoints demand the
	// provider's current DPoP nonce in every proof (RFC 9449 §8): a proof
	// without it is answered 400 use_dpop_nonce. Every response of those
	// endpoints carries the current nonce in a DPoP-Nonce header.
	RequireDPoPNonce bool
	// RequireResourceDPoPNonce makes the resource and UserInfo endpoints
	// demand the current nonce in every proof (RFC 9449 §9): a proof
	// without it is answered 401 with WWW-Authenticate: DPoP
	// error="use_dpop_nonce". Every response of those endpoints carries the
	// current nonce in a DPoP-Nonce header. The provider keeps one nonce
	// for all its endpoints (they share an origin).
	RequireResourceDPoPNonce bool
	// DPoPNonceEvery, if positive, makes the nonce change after every
	// DPoPNonceEvery proofs accepted with it; the response to the last of
	// them carries the new nonce (RFC 9449 §8.2). Only the current nonce is
	// accepted. See also [OAuth2.RotateDPoPNonce].
	DPoPNonceEvery int
	// DPoPProofWindow is how far a proof's iat may be from Now, either
	// way. Zero means 60 seconds.
	DPoPProofWindow time.Duration
}

// dpopMaxJTI bounds the jti the provider stores (RFC 9449 §11.1).
const dpopMaxJTI = 256

// dpopError is a refused proof: code is invalid_dpop_proof or
// use_dpop_nonce, desc is safe to send.
type dpopError struct {
	code, desc string
}

func dpopInvalid(desc string) *dpopError {
	return &dpopError{code: "invalid_dpop_proof", desc: desc}
}

// dpopProof is an accepted proof.
type dpopProof struct {
	jkt string // the RFC 7638 thumbprint of its key
}

// dpopClaims are the claims of RFC 9449 §4.2.
type dpopClaims struct {
	JTI   *string  `json:"jti"`
	HTM   *string  `json:"htm"`
	HTU   *string  `json:"htu"`
	IAT   *float64 `json:"iat"` // a JSON number (RFC 7519 §2 NumericDate)
	ATH   *string  `json:"ath"`
	Nonce *string  `json:"nonce"`
}

// checkDPoP checks the DPoP proof of r (RFC 9449 §4.3). accessToken is the
// token the request presents ("" at the token and PAR endpoints), whose
// hash the proof's ath must be; needNonce says whether the endpoint demands
// the current nonce. It returns nil, nil when r has no DPoP header. Every
// refusal is counted.
func (o *OAuth2) checkDPoP(r *http.Request, accessToken string, needNonce bool) (*dpopProof, *dpopError) {
	values := r.Header.Values("DPoP")
	if len(values) == 0 {
		return nil, nil
	}
	p, e := o.verifyDPoP(r, values, accessToken, needNonce)
	if e != nil {
		o.dpopRefused.Add(1)
		if e.code == "use_dpop_nonce" {
			o.dpopNonceChallenges.Add(1)
		}
	}
	return p, e
}

func (o *OAuth2) verifyDPoP(r *http.Request, values []string, accessToken string, needNonce bool) (*dpopProof, *dpopError) {
	if len(values) != 1 {
		return nil, dpopInvalid("more than one DPoP header")
	}
	j, err := parseJWS(values[0])
	if err != nil {
		return nil, dpopInvalid(err.Error())
	}
	if typ, _ := j.headerString("typ"); typ != "dpop+jwt" {
		return nil, dpopInvalid("typ is not dpop+jwt")
	}
	if _, ok := jwsAlgs[j.alg]; !ok {
		return nil, dpopInvalid("alg not accepted")
	}
	raw, ok := j.header["jwk"]
	if !ok {
		return nil, dpopInvalid("no jwk in the header")
	}
	key, err := parsePublicJWK(raw)
	if err != nil {
		return nil, dpopInvalid(err.Error())
	}
	if err := verifyJWS(j.alg, key.key, j.signingInput, j.sig); err != nil {
		return nil, dpopInvalid(err.Error())
	}
	var c dpopClaims
	if json.Unmarshal(j.payload, &c) != nil {
		return nil, dpopInvalid("claims are not a JSON object with the claims' types")
	}
	if c.JTI == nil || c.HTM == nil || c.HTU == nil || c.IAT == nil {
		return nil, dpopInvalid("jti, htm, htu or iat missing")
	}
	if *c.JTI == "" || len(*c.JTI) > dpopMaxJTI {
		return nil, dpopInvalid("jti empty or too long")
	}
	if *c.HTM != r.Method {
		return nil, dpopInvalid("htm does not match the request method")
	}
	want, _ := normalizeHTU(oauth2BaseURL(r) + r.URL.EscapedPath())
	got, ok := normalizeHTU(*c.HTU)
	if !ok || got != want {
		return nil, dpopInvalid("htu does not match the request URI")
	}
	iat := *c.IAT
	now := o.now()
	window := o.dpopWindow()
	nowSec := float64(now.UnixNano()) / 1e9
	if iat < nowSec-window.Seconds() || iat > nowSec+window.Seconds() {
		return nil, dpopInvalid("iat outside the accepted window")
	}
	if accessToken != "" {
		sum := sha256.Sum256([]byte(accessToken))
		if c.ATH == nil || *c.ATH != base64.RawURLEncoding.EncodeToString(sum[:]) {
			return nil, dpopInvalid("ath does not match the access token")
		}
	}

	o.mu.Lock()
	defer o.mu.Unlock()
	if needNonce {
		if c.Nonce == nil {
			return nil, &dpopError{code: "use_dpop_nonce", desc: "nonce required in DPoP proof"}
		}
		if *c.Nonce != o.dpopNonceLocked() {
			return nil, &dpopError{code: "use_dpop_nonce", desc: "DPoP nonce is not the current one"}
		}
	}
	for k, exp := range o.dpopJTIs {
		if !now.Before(exp) {
			delete(o.dpopJTIs, k)
		}
	}
	if _, seen := o.dpopJTIs[*c.JTI]; seen {
		return nil, dpopInvalid("jti already used")
	}
	// Remember the jti for as long as a proof with its iat is accepted: iat
	// is at most window from now, and is accepted until window after iat.
	o.dpopJTIs[*c.JTI] = now.Add(2 * window)
	if needNonce && o.DPoPNonceEvery > 0 {
		o.nonceUses++
		if o.nonceUses >= o.DPoPNonceEvery {
			o.rotateNonceLocked()
		}
	}
	return &dpopProof{jkt: key.thumbprint}, nil
}

func (o *OAuth2) dpopWindow() time.Duration {
	if o.DPoPProofWindow > 0 {
		return o.DPoPProofWindow
	}
	return 60 * time.Second
}

// normalizeHTU returns u without query and fragment, normalized as RFC
// 3986 §6.2.2 and §6.2.3 say: scheme and host in lower case, the scheme's
// default port removed, an empty path made "/", percent-encodings of
// unreserved characters decoded and the others' hex digits upper-cased,
// dot segments removed. It reports false for a URI that is not an absolute
// http or https URI, or that has userinfo, a query or a fragment.
func normalizeHTU(u string) (string, bool) {
	p, err := url.Parse(u)
	if err != nil || p.User != nil || p.RawQuery != "" || p.ForceQuery || p.Fragment != "" || p.Opaque != "" {
		return "", false
	}
	scheme := strings.ToLower(p.Scheme)
	hostname := strings.ToLower(p.Hostname())
	if scheme != "http" && scheme != "https" || hostname == "" {
		return "", false
	}
	host := hostname
	if strings.HasPrefix(p.Host, "[") {
		if net.ParseIP(hostname) == nil {
			return "", false
		}
		host = "[" + hostname + "]"
	} else if strings.ContainsAny(hostname, ":[]") {
		return "", false
	}
	if port := p.Port(); port != "" && !(scheme == "http" && port == "80") && !(scheme == "https" && port == "443") {
		host = net.JoinHostPort(hostname, port)
	}
	path := normalizePercent(p.EscapedPath())
	if path == "" {
		path = "/"
	}
	return scheme + "://" + host + removeDotSegments(path), true
}

// normalizePercent decodes the percent-encodings of unreserved characters
// and upper-cases the hex digits of the others (RFC 3986 §6.2.2.1,
// §6.2.2.2).
func normalizePercent(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHexDigit(s[i+1]) && isHexDigit(s[i+2]) {
			v, _ := strconv.ParseUint(s[i+1:i+3], 16, 8)
			if c := byte(v); urlenc.Unreserved(c) {
				b.WriteByte(c)
			} else {
				b.WriteByte('%')
				b.WriteByte(hex[c>>4])
				b.WriteByte(hex[c&15])
			}
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// removeDotSegments is the algorithm of RFC 3986 §5.2.4.
func removeDotSegments(in string) string {
	var out []string
	for in != "" {
		switch {
		case strings.HasPrefix(in, "../"):
			in = in[3:]
		case strings.HasPrefix(in, "./"):
			in = in[2:]
		case strings.HasPrefix(in, "/./"):
			in = in[2:]
		case in == "/.":
			in = "/"
		case strings.HasPrefix(in, "/../"):
			in = in[3:]
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		case in == "/..":
			in = "/"
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		case in == "." || in == "..":
			in = ""
		default:
			// Move the first segment, with its leading "/" if any, to out.
			i := strings.IndexByte(in[1:], '/')
			if i < 0 {
				out = append(out, in)
				in = ""
			} else {
				out = append(out, in[:i+1])
				in = in[i+1:]
			}
		}
	}
	return strings.Join(out, "")
}

// dpopNonceLocked returns the current nonce, making one if there is none.
// o.mu must be held.
func (o *OAuth2) dpopNonceLocked() string {
	if o.dpopNonce == "" {
		o.rotateNonceLocked()
	}
	return o.dpopNonce
}

func (o *OAuth2) rotateNonceLocked() {
	o.dpopNonce = oauth2Random("n_")
	o.nonceUses = 0
}

// DPoPNonce returns the provider's current DPoP nonce (RFC 9449 §8.1),
// which every endpoint demanding a nonce accepts. It is safe for
// concurrent use.
func (o *OAuth2) DPoPNonce() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.dpopNonceLocked()
}

// RotateDPoPNonce replaces the provider's DPoP nonce with a new random one
// and returns it: proofs with the old nonce are answered use_dpop_nonce
// from then on. It is safe for concurrent use.
func (o *OAuth2) RotateDPoPNonce() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.rotateNonceLocked()
	return o.dpopNonce
}

// setDPoPNonce puts the current nonce in w's DPoP-Nonce header if on.
func (o *OAuth2) setDPoPNonce(w http.ResponseWriter, on bool) {
	if on {
		w.Header().Set("DPoP-Nonce", o.DPoPNonce())
	}
}

// DPoPProofsRefused returns how many DPoP proofs the provider refused,
// use_dpop_nonce answers included. It is safe for concurrent use.
func (o *OAuth2) DPoPProofsRefused() int { return int(o.dpopRefused.Load()) }

// DPoPNonceChallenges returns how many use_dpop_nonce answers the provider
// gave (RFC 9449 §8, §9). It is safe for concurrent use.
func (o *OAuth2) DPoPNonceChallenges() int { return int(o.dpopNonceChallenges.Load()) }

// dpopAlgsParam is the algs parameter of DPoP challenges (RFC 9449 §7.1).
var dpopAlgsParam = `algs="` + strings.Join(jwsAlgNames, " ") + `"`
