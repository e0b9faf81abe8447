#!/usr/bin/python3
"""Reproduces oauthlib 3.2.2 quirks with oauthlib alone (its Client against its
own SignatureOnlyEndpoint), independent of oauthkit: Q2 fails, Q1 does not
(oauthlib's client and server decode oauth_callback the same wrong way).

Prints one line per case: OK or FAIL, the case and the signature type,
separated by tabs."""
import oauthlib
from oauthlib.oauth1 import Client, SignatureOnlyEndpoint, RequestValidator
from oauthlib.oauth1.rfc5849 import SIGNATURE_TYPE_QUERY, SIGNATURE_TYPE_BODY, SIGNATURE_TYPE_AUTH_HEADER

assert oauthlib.__version__ == "3.2.2", oauthlib.__version__

SECRET = "kd94hf93 k423&kf44+/=\u00e9~"
class V(RequestValidator):
    enforce_ssl = False
    nonce_length = (8, 128)
    def validate_client_key(self, k, r): return True
    def get_client_secret(self, k, r): return SECRET
    def validate_timestamp_and_nonce(self, *a, **k): return True
    @property
    def dummy_client(self): return "dummyclientkeyxxxxxxx"
ep = SignatureOnlyEndpoint(V())
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
def run(name, **kw):
    st = kw.pop("signature_type")
    method = kw.pop("method", "POST")
    c = Client("interopconsumerkey0001", client_secret=SECRET, signature_type=st, **kw)
    body = "a=1" if method == "POST" else None
    uri, h, b = c.sign("http://127.0.0.1:8080/rt", method, body=body, headers=FORM if body else None)
    ok, req = ep.validate_request(uri, method, b, h)
    print("%s\t%s\t%s" % ("OK" if ok else "FAIL", name, st))
for st in (SIGNATURE_TYPE_AUTH_HEADER, SIGNATURE_TYPE_QUERY, SIGNATURE_TYPE_BODY):
    run("HMAC-SHA1, callback with %20", signature_type=st, callback_uri="http://127.0.0.1:9/cb?y=a%20b")
    run("HMAC-SHA1, callback without escapes", signature_type=st, callback_uri="http://127.0.0.1:9/cb?y=b")
    run("PLAINTEXT, secret with ' &+/=é'", signature_type=st, signature_method="PLAINTEXT")
