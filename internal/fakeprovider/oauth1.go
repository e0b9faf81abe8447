package fakeprovider

import "net/http"

// OAuth1 is the OAuth 1.0a half of a [Provider]. (Placeholder: being built.)
type OAuth1 struct{}

func newOAuth1() *OAuth1 { return &OAuth1{} }

func (o *OAuth1) register(mux *http.ServeMux) {}
