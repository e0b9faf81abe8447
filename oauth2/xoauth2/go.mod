module github.com/oauthkit/oauth/oauth2/xoauth2

go 1.22

require (
	github.com/google/go-cmp v0.7.0
	github.com/oauthkit/oauth v0.0.0
	golang.org/x/oauth2 v0.23.0
)

replace github.com/oauthkit/oauth => ../..
