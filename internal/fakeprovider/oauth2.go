package fakeprovider

import "net/http"

// OAuth2 is the OAuth 2.0 half of a [Provider]. (Placeholder: being built.)
type OAuth2 struct{}

func newOAuth2() *OAuth2 { return &OAuth2{} }

func (o *OAuth2) register(mux *http.ServeMux) {}
