package oauth2

// Endpoints of common providers. They are plain values: copy one into
// Config.Endpoint and adjust it if needed. Provider-specific behaviour is
// described in the package documentation, section "Provider quirks".
var (
	// GitHub is GitHub's OAuth app and GitHub App endpoint. Its token
	// endpoint answers form-encoded unless asked for JSON (the package always
	// asks) and reports errors with HTTP 200; both are handled.
	GitHub = Endpoint{
		AuthURL:       "https://github.com/login/oauth/authorize",
		TokenURL:      "https://github.com/login/oauth/access_token",
		DeviceAuthURL: "https://github.com/login/device/code",
	}

	// Google is Google's OAuth 2.0 endpoint. Pass AccessTypeOffline (and
	// ApprovalForce) to NewLogin to get a refresh token.
	Google = Endpoint{
		AuthURL:       "https://accounts.google.com/o/oauth2/v2/auth",
		TokenURL:      "https://oauth2.googleapis.com/token",
		DeviceAuthURL: "https://oauth2.googleapis.com/device/code",
		RevocationURL: "https://oauth2.googleapis.com/revoke",
	}

	// Facebook is Facebook Login's endpoint (unversioned Graph API).
	Facebook = Endpoint{
		AuthURL:  "https://www.facebook.com/dialog/oauth",
		TokenURL: "https://graph.facebook.com/oauth/access_token",
	}

	// LinkedIn is LinkedIn's OAuth 2.0 endpoint. It expects
	// AuthClientSecretPost.
	LinkedIn = Endpoint{
		AuthURL:          "https://www.linkedin.com/oauth/v2/authorization",
		TokenURL:         "https://www.linkedin.com/oauth/v2/accessToken",
		RevocationURL:    "https://www.linkedin.com/oauth/v2/revoke",
		IntrospectionURL: "https://www.linkedin.com/oauth/v2/introspectToken",
	}

	// Fitbit is Fitbit's OAuth 2.0 endpoint. Its errors arrive as an
	// "errors" array: ExampleHooks_fitbit shows a hook that reads them.
	Fitbit = Endpoint{
		AuthURL:          "https://www.fitbit.com/oauth2/authorize",
		TokenURL:         "https://api.fitbit.com/oauth2/token",
		RevocationURL:    "https://api.fitbit.com/oauth2/revoke",
		IntrospectionURL: "https://api.fitbit.com/1.1/oauth2/introspect",
	}

	// Slack is Slack's OAuth v2 endpoint. Errors arrive with HTTP 200 and
	// {"ok":false,"error":"..."}, which the package reports as an *Error.
	Slack = Endpoint{
		AuthURL:  "https://slack.com/oauth/v2/authorize",
		TokenURL: "https://slack.com/api/oauth.v2.access",
	}

	// GitLab is GitLab.com's OAuth 2.0 endpoint.
	GitLab = Endpoint{
		AuthURL:       "https://gitlab.com/oauth/authorize",
		TokenURL:      "https://gitlab.com/oauth/token",
		DeviceAuthURL: "https://gitlab.com/oauth/authorize_device",
		RevocationURL: "https://gitlab.com/oauth/revoke",
	}

	// Discord is Discord's OAuth 2.0 endpoint.
	Discord = Endpoint{
		AuthURL:       "https://discord.com/oauth2/authorize",
		TokenURL:      "https://discord.com/api/oauth2/token",
		RevocationURL: "https://discord.com/api/oauth2/token/revoke",
	}

	// Spotify is Spotify's accounts service.
	Spotify = Endpoint{
		AuthURL:  "https://accounts.spotify.com/authorize",
		TokenURL: "https://accounts.spotify.com/api/token",
	}
)

// Microsoft returns the Microsoft identity platform (v2.0) endpoint of a
// tenant: a tenant ID or domain, or "common", "organizations" or
// "consumers".
func Microsoft(tenant string) Endpoint {
	if tenant == "" {
		tenant = "common"
	}
	base := "https://login.microsoftonline.com/" + tenant + "/oauth2/v2.0/"
	return Endpoint{
		AuthURL:       base + "authorize",
		TokenURL:      base + "token",
		DeviceAuthURL: base + "devicecode",
	}
}
