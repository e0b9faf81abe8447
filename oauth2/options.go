package oauth2

import (
	"net/url"
	"slices"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// An Option changes one call: a login, a grant, a refresh, a device
// authorization, or every token request of a Session it is given to.
// Options are made by the functions and variables of this package; an
// option that does not apply to a call is ignored (each says where it
// applies).
type Option interface{ apply(*options) }

// options collects the Options of a call.
type options struct {
	params []paramOp // in the order given
	// For NewLogin only.
	state        string
	pkce         *PKCEMethod
	responseType string
	challenged   string // S256ChallengeOption's verifier
	push         bool   // PushedAuthorization
	sign         bool   // SignedRequestObject
	bindDPoP     bool   // BindCodeToDPoPKey
	// For CompleteLoginCode only.
	issuer string
}

// paramOp adds or sets one request parameter.
type paramOp struct {
	key, value string
	set        bool // replace earlier values of key
	authOnly   bool // for the authorization request only
	tokenOnly  bool // for token requests only
}

type optionFunc func(*options)

func (f optionFunc) apply(o *options) { f(o) }

func collect(opts []Option) *options {
	o := &options{}
	for _, opt := range opts {
		if opt != nil {
			opt.apply(o)
		}
	}
	return o
}

// SetParam adds the parameter key=value to the request of every call it
// is given to: the authorization URL of a login, a token request, a
// device authorization request. A key may be added many times, such as
// RFC 8707's resource.
func SetParam(key, value string) Option {
	return optionFunc(func(o *options) { o.params = append(o.params, paramOp{key: key, value: value}) })
}

// SetAuthURLParam sets the parameter key=value, replacing any value of key
// the request already carries, standard parameters included, as
// golang.org/x/oauth2's option of that name does. It applies where
// SetParam does.
func SetAuthURLParam(key, value string) Option {
	return optionFunc(func(o *options) { o.params = append(o.params, paramOp{key: key, value: value, set: true}) })
}

var (
	// AccessTypeOffline asks Google for a refresh token
	// (access_type=offline). It applies to logins only.
	AccessTypeOffline Option
	// AccessTypeOnline asks Google for no refresh token
	// (access_type=online), its default. It applies to logins only.
	AccessTypeOnline Option
	// ApprovalForce asks the server to show the consent screen again
	// (prompt=consent), which Google needs to issue a new refresh token
	// and an OpenID provider to grant the offline_access scope (OpenID
	// Connect Core 1.0 §11): without it, such a provider may drop the
	// scope and issue no refresh token, without an error. It applies to
	// logins only.
	ApprovalForce Option
	// ImplicitFlow makes a login ask for a token in the redirect's
	// fragment (response_type=token, RFC 6749 §4.2), without PKCE;
	// complete it with Config.CompleteLoginURL. The OAuth 2.0 Security
	// BCP (RFC 9700 §2.1.2) advises against it: prefer the code flow. It
	// applies to logins only.
	ImplicitFlow Option
)

var (
	// PushedAuthorization makes a login push its authorization request
	// to Endpoint.PushedAuthURL (RFC 9126), with client authentication,
	// and send the user with only client_id and the request_uri the
	// server gave; NewLogin does so by itself when
	// Endpoint.RequirePushedAuth is set. It applies to logins only.
	PushedAuthorization Option
	// SignedRequestObject makes a login send its authorization request as
	// a request object (RFC 9101) signed with Config.Signer; NewLogin does
	// so by itself when Endpoint.RequireSignedRequestObject is set. It
	// applies to logins only.
	SignedRequestObject Option
	// BindCodeToDPoPKey makes a login send dpop_jkt, the thumbprint of
	// Config.DPoP's key, so that the server binds the authorization code
	// to that key (RFC 9449 §10); NewLogin fails with ErrNoDPoPKey
	// without Config.DPoP. A pushed login whose push carries a DPoP proof
	// is bound by the proof, without it (§10.1). It applies to logins
	// only.
	BindCodeToDPoPKey Option
)

func init() {
	// Set here, not by initializers, which go doc would show with the
	// unexported functions that make the values.
	AccessTypeOffline = authParam("access_type", "offline")
	AccessTypeOnline = authParam("access_type", "online")
	ApprovalForce = authParam("prompt", "consent")
	ImplicitFlow = optionFunc(func(o *options) { o.responseType = "token" })
	PushedAuthorization = optionFunc(func(o *options) { o.push = true })
	SignedRequestObject = optionFunc(func(o *options) { o.sign = true })
	BindCodeToDPoPKey = optionFunc(func(o *options) { o.bindDPoP = true })
}

func authParam(key, value string) Option {
	return optionFunc(func(o *options) {
		o.params = append(o.params, paramOp{key: key, value: value, set: true, authOnly: true})
	})
}

// WithState makes a login use state instead of a random one. It must be
// unguessable and bound to the user's browser (RFC 6749 §10.12). It
// applies to logins only.
func WithState(state string) Option {
	return optionFunc(func(o *options) { o.state = state })
}

// WithPKCE overrides Config.PKCE for one login. It applies to logins only.
func WithPKCE(m PKCEMethod) Option {
	return optionFunc(func(o *options) { o.pkce = &m })
}

// VerifierOption sends verifier as the PKCE code_verifier of a token
// request (RFC 7636 §4.5), as golang.org/x/oauth2's option of that name
// does: for Config.Exchange, when the code comes from an authorization
// request made with S256ChallengeOption(verifier). It applies to token
// requests only; a Login carries its own verifier.
func VerifierOption(verifier string) Option {
	return optionFunc(func(o *options) {
		o.params = append(o.params, paramOp{key: "code_verifier", value: verifier, set: true, tokenOnly: true})
	})
}

// S256ChallengeOption makes a login use verifier as its PKCE verifier,
// with an S256 challenge (RFC 7636 §4.2), instead of generating one, as
// golang.org/x/oauth2's option of that name does. verifier must be
// unguessable; [GenerateVerifier] makes one. It applies to logins only.
func S256ChallengeOption(verifier string) Option {
	return optionFunc(func(o *options) { o.challenged = verifier })
}

// WithIssuer passes iss, the "iss" parameter of an authorization
// response (RFC 9207 §2), to CompleteLoginCode, which checks it as
// CompleteLoginURL checks the callback's; an empty iss stands for none.
// It applies to CompleteLoginCode only: the other calls read "iss" from
// the callback itself.
func WithIssuer(iss string) Option {
	return optionFunc(func(o *options) { o.issuer = iss })
}

// applyParams applies the parameter options of o to p, for the
// authorization request (auth) or a token-endpoint request.
func (o *options) applyParams(p *urlenc.Params, auth bool) {
	if o == nil {
		return
	}
	for _, op := range o.params {
		if auth && op.tokenOnly || !auth && op.authOnly {
			continue
		}
		if op.set {
			p.Set(op.key, op.value)
		} else {
			p.Add(op.key, op.value)
		}
	}
}

// addValues appends the parameters of v to p, keys in sorted order and
// each key's values in their order, leaving out the keys in skip.
func addValues(p *urlenc.Params, v url.Values, skip ...string) {
	keys := make([]string, 0, len(v))
	for k := range v {
		if !slices.Contains(skip, k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		for _, val := range v[k] {
			p.Add(k, val)
		}
	}
}
