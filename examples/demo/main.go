// Command demo runs the OAuth 1 dance and the OAuth 2 flows against the
// in-repo fake provider, printing what happens. It needs no account anywhere.
package main

import "fmt"

func main() {
	fmt.Println("oauthkit demo: the OAuth 1 dance and the OAuth 2 flows against internal/fakeprovider are being built;")
	fmt.Println("this placeholder prints what it will do and exits 0.")
}
