package signer_test

import (
	"encoding/base64"
	"fmt"

	"github.com/oauthkit/oauth/signer"
)

// The HMAC-SHA1 example of the oauth.net test cases (RFC 5849 §3.4.2): the
// key is "consumer secret & token secret", already percent-encoded.
func ExampleHMAC_Sign() {
	key := []byte("kd94hf93k423kf44&pfkkdhi9sl3r4s00")
	base := []byte("GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal")

	sig := signer.HMACSHA1.Sign(key, base)
	fmt.Println(base64.StdEncoding.EncodeToString(sig))
	fmt.Println(signer.HMACSHA1.Verify(key, base, sig))
	// Output:
	// tR3+Ty81lMeYAr/Fid0kMTYa/WM=
	// <nil>
}
