package oauth1

import (
	"net/http"
	"strings"
)

// Provider presets. Each is a plain [Endpoint] value: copy it into
// Config.Endpoint. The URLs are the providers' published ones; check the
// provider's documentation for changes.
var (
	// Twitter (X) with the authorize step ("/oauth/authorize"), which asks
	// the user every time.
	Twitter = Endpoint{
		RequestTokenURL: "https://api.twitter.com/oauth/request_token",
		AuthorizeURL:    "https://api.twitter.com/oauth/authorize",
		AccessTokenURL:  "https://api.twitter.com/oauth/access_token",
	}
	// TwitterAuthenticate is Twitter with "Sign in with Twitter"
	// ("/oauth/authenticate"), which skips the prompt for a user who
	// already approved the app.
	TwitterAuthenticate = Endpoint{
		RequestTokenURL: "https://api.twitter.com/oauth/request_token",
		AuthorizeURL:    "https://api.twitter.com/oauth/authenticate",
		AccessTokenURL:  "https://api.twitter.com/oauth/access_token",
	}
	// Bitbucket (OAuth 1.0a, API 1.0 endpoints).
	Bitbucket = Endpoint{
		RequestTokenURL: "https://bitbucket.org/api/1.0/oauth/request_token",
		AuthorizeURL:    "https://bitbucket.org/api/1.0/oauth/authenticate",
		AccessTokenURL:  "https://bitbucket.org/api/1.0/oauth/access_token",
	}
	// Tumblr.
	Tumblr = Endpoint{
		RequestTokenURL: "https://www.tumblr.com/oauth/request_token",
		AuthorizeURL:    "https://www.tumblr.com/oauth/authorize",
		AccessTokenURL:  "https://www.tumblr.com/oauth/access_token",
	}
	// Flickr.
	Flickr = Endpoint{
		RequestTokenURL: "https://www.flickr.com/services/oauth/request_token",
		AuthorizeURL:    "https://www.flickr.com/services/oauth/authorize",
		AccessTokenURL:  "https://www.flickr.com/services/oauth/access_token",
	}
	// Trello. Pass scope, expiration and name to AuthorizationURL as
	// extra parameters.
	Trello = Endpoint{
		RequestTokenURL: "https://trello.com/1/OAuthGetRequestToken",
		AuthorizeURL:    "https://trello.com/1/OAuthAuthorizeToken",
		AccessTokenURL:  "https://trello.com/1/OAuthGetAccessToken",
	}
	// SmugMug (API v2).
	SmugMug = Endpoint{
		RequestTokenURL: "https://api.smugmug.com/services/oauth/1.0a/getRequestToken",
		AuthorizeURL:    "https://api.smugmug.com/services/oauth/1.0a/authorize",
		AccessTokenURL:  "https://api.smugmug.com/services/oauth/1.0a/getAccessToken",
	}
	// Garmin Connect (Health and Activity APIs).
	Garmin = Endpoint{
		RequestTokenURL: "https://connectapi.garmin.com/oauth-service/oauth/request_token",
		AuthorizeURL:    "https://connect.garmin.com/oauthConfirm",
		AccessTokenURL:  "https://connectapi.garmin.com/oauth-service/oauth/access_token",
	}
)

// Jira returns the endpoint of a Jira Server or Data Center instance at
// baseURL (such as "https://jira.example.com"). Jira's application links
// use RSA-SHA1: set Config.Method to RSASHA1(key) with the private key
// whose public half was registered in Jira; the consumer secret is unused.
func Jira(baseURL string) Endpoint {
	b := strings.TrimRight(baseURL, "/")
	return Endpoint{
		RequestTokenURL: b + "/plugins/servlet/oauth/request-token",
		AuthorizeURL:    b + "/plugins/servlet/oauth/authorize",
		AccessTokenURL:  b + "/plugins/servlet/oauth/access-token",
	}
}

// Discogs returns the endpoint of Discogs: PLAINTEXT over HTTPS (Method
// is [Plaintext]), and userAgent as the User-Agent header of every request,
// as Discogs requires one that names the application (such as
// "MyDiscogsApp/1.0 +https://myapp.example"). It is a function, not a
// value like the other presets, because that header is the application's
// own.
func Discogs(userAgent string) Endpoint {
	return Endpoint{
		RequestTokenURL: "https://api.discogs.com/oauth/request_token",
		AuthorizeURL:    "https://www.discogs.com/oauth/authorize",
		AccessTokenURL:  "https://api.discogs.com/oauth/access_token",
		Method:          Plaintext,
		Header:          http.Header{"User-Agent": {userAgent}},
	}
}

// NetSuite returns the endpoint of a NetSuite account (token-based
// authentication), such as "1234567" or the sandbox "1234567_SB1". It
// signs with HMAC-SHA256 and sets the realm to the account id as NetSuite
// requires it (upper case, '-' written '_': "1234567_SB1"), while the
// host names use the lower-case form with '-' ("1234567-sb1").
func NetSuite(accountID string) Endpoint {
	host := strings.ReplaceAll(strings.ToLower(accountID), "_", "-")
	realm := strings.ReplaceAll(strings.ToUpper(accountID), "-", "_")
	return Endpoint{
		RequestTokenURL: "https://" + host + ".restlets.api.netsuite.com/rest/requesttoken",
		AuthorizeURL:    "https://" + host + ".app.netsuite.com/app/login/secure/authorizetoken.nl",
		AccessTokenURL:  "https://" + host + ".restlets.api.netsuite.com/rest/accesstoken",
		Method:          HMACSHA256,
		Realm:           realm,
	}
}
