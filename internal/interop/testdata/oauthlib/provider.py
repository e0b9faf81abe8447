#!/usr/bin/python3
"""An OAuth 1.0a provider built from oauthlib 3.2.2's server endpoints, on
loopback, for the oauthkit interop harness.

Usage: python3 provider.py [PORT]
Listens on 127.0.0.1 on PORT, or on a free port, and writes the port number
and a newline to stdout once it accepts connections. The RSA public key
(PEM) of the RSA test consumer comes from the environment variable
OAUTHLIB_INTEROP_RSA_PUBLIC_PEM; the Go test generates the key pair.

Routes (path prefix):
  /request_token       RequestTokenEndpoint
  /nocc/request_token  the same, with oauth_callback_confirmed removed
  /authorize           AuthorizationEndpoint, auto-approve (302 or 200 for oob)
  /access_token        AccessTokenEndpoint
  /deny/access_token   AccessTokenEndpoint whose validator refuses every verifier
  /res...              ResourceEndpoint: 200 + JSON of what oauthlib saw, or 401 + JSON
  /strict/res...       ResourceEndpoint with oauthlib's DEFAULT validator limits
                       (nonce 20-30 alphanumerics, keys 20-30 alphanumerics)
"""
import json
import os
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import oauthlib
from oauthlib.common import UNICODE_ASCII_CHARACTER_SET
from oauthlib.oauth1 import (AccessTokenEndpoint, AuthorizationEndpoint,
                             RequestTokenEndpoint, RequestValidator,
                             ResourceEndpoint)
from oauthlib.oauth1.rfc5849 import signature

assert oauthlib.__version__ == "3.2.2", oauthlib.__version__

HMAC_KEY = "interopconsumerkey0001"          # 22 alphanumerics: passes default checks
HMAC_SECRET = "kd94hf93 k423&kf44+/=\u00e9~"   # reserved, space, non-ASCII
RSA_KEY = "interopRSAconsumerkey01"
PLAIN_KEY, PLAIN_SECRET = "interopplainconsumer01", "alnumSecret0123"  # nothing to percent-encode
PUBLIC_PEM = os.environ["OAUTHLIB_INTEROP_RSA_PUBLIC_PEM"]

LOCK = threading.Lock()
REQUEST_TOKENS = {}   # token -> dict(secret, client, callback, realms, verifier)
ACCESS_TOKENS = {}    # token -> dict(secret, client, realms)
NONCES = set()


class Validator(RequestValidator):
    def __init__(self, strict=False, deny_verifier=False):
        super().__init__()
        self.strict = strict
        self.deny_verifier = deny_verifier

    # --- limits ------------------------------------------------------
    @property
    def enforce_ssl(self):
        return False  # loopback http

    @property
    def safe_characters(self):
        base = set(UNICODE_ASCII_CHARACTER_SET)
        return base if self.strict else base | set("-_")

    @property
    def nonce_length(self):
        return (20, 30) if self.strict else (8, 128)

    @property
    def client_key_length(self):
        return (20, 30) if self.strict else (4, 64)

    @property
    def realms(self):
        return ["photos", "videos", "r\u00e9alm \"q\""]

    def check_realms(self, realms):
        # oauthlib reads a token request's realm as a space-separated list of
        # realms that must all be in .realms (else 400); accept any here.
        return True

    # --- clients -----------------------------------------------------
    def validate_client_key(self, client_key, request):
        return client_key in (HMAC_KEY, RSA_KEY, PLAIN_KEY)

    def get_client_secret(self, client_key, request):
        return {HMAC_KEY: HMAC_SECRET, PLAIN_KEY: PLAIN_SECRET}.get(client_key, "dummy")

    @property
    def dummy_client(self):
        return "dummyclientkeyxxxxxxx"

    @property
    def dummy_request_token(self):
        return "dummyrequesttokenxxxxx"

    @property
    def dummy_access_token(self):
        return "dummyaccesstokenxxxxxx"

    def get_rsa_key(self, client_key, request):
        return PUBLIC_PEM

    # --- request tokens ------------------------------------------------
    def validate_requested_realms(self, client_key, realms, request):
        return True

    def get_default_realms(self, client_key, request):
        return ["photos"]

    def validate_redirect_uri(self, client_key, redirect_uri, request):
        return True

    def validate_timestamp_and_nonce(self, client_key, timestamp, nonce,
                                     request, request_token=None, access_token=None):
        key = (client_key, timestamp, nonce, request_token or access_token)
        with LOCK:
            if key in NONCES:
                return False
            NONCES.add(key)
        return True

    def save_request_token(self, token, request):
        with LOCK:
            REQUEST_TOKENS[token["oauth_token"]] = dict(
                secret=token["oauth_token_secret"], client=request.client_key,
                callback=request.redirect_uri, realms=request.realms or ["photos"])

    def get_request_token_secret(self, client_key, token, request):
        with LOCK:
            t = REQUEST_TOKENS.get(token)
        return t["secret"] if t else "dummy"

    def validate_request_token(self, client_key, token, request):
        with LOCK:
            t = REQUEST_TOKENS.get(token)
        return bool(t) and t["client"] == client_key

    def verify_request_token(self, token, request):
        with LOCK:
            return token in REQUEST_TOKENS

    def verify_realms(self, token, realms, request):
        return True

    def get_realms(self, token, request):
        with LOCK:
            return REQUEST_TOKENS[token]["realms"]

    def get_redirect_uri(self, token, request):
        with LOCK:
            return REQUEST_TOKENS[token]["callback"]

    def save_verifier(self, token, verifier, request):
        with LOCK:
            REQUEST_TOKENS[token]["verifier"] = verifier["oauth_verifier"]

    def validate_verifier(self, client_key, token, verifier, request):
        if self.deny_verifier:
            return False
        with LOCK:
            t = REQUEST_TOKENS.get(token)
        return bool(t) and t.get("verifier") == verifier

    def invalidate_request_token(self, client_key, request_token, request):
        with LOCK:
            REQUEST_TOKENS.pop(request_token, None)

    # --- access tokens -------------------------------------------------
    def save_access_token(self, token, request):
        with LOCK:
            ACCESS_TOKENS[token["oauth_token"]] = dict(
                secret=token["oauth_token_secret"], client=request.client_key,
                realms=request.realms)

    def get_access_token_secret(self, client_key, token, request):
        with LOCK:
            t = ACCESS_TOKENS.get(token)
        return t["secret"] if t else "dummy"

    def validate_access_token(self, client_key, token, request):
        with LOCK:
            t = ACCESS_TOKENS.get(token)
        return bool(t) and t["client"] == client_key

    def validate_realms(self, client_key, token, request, uri=None, realms=None):
        return True


V = Validator()
RT = RequestTokenEndpoint(V)
AUTH = AuthorizationEndpoint(V)
AT = AccessTokenEndpoint(V)
RES = ResourceEndpoint(V)
AT_DENY = AccessTokenEndpoint(Validator(deny_verifier=True))
RES_STRICT = ResourceEndpoint(Validator(strict=True))


def oauthlib_view(endpoint, uri, method, body, headers):
    """What oauthlib computes for the request: its params and base string."""
    try:
        r = endpoint._create_request(uri, method, body, headers)
        norm = signature.normalize_parameters(r.params)
        bs = signature.signature_base_string(
            method, signature.base_string_uri(uri), norm)
        return dict(params=r.params, base_string=bs, realm=r.realm,
                    signature_method=r.signature_method)
    except Exception as e:  # noqa
        return dict(create_request_error=repr(e))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: without TCP_NODELAY, Nagle's
    # algorithm holds the body back for the client's delayed ACK.
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):
        pass  # failures are reported in the responses

    def _handle(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        body = raw.decode("utf-8", "surrogateescape")
        # http.server decodes header bytes as ISO-8859-1; give oauthlib the
        # UTF-8 text a client sent (non-ASCII realm).
        headers = {k: v.encode("latin-1").decode("utf-8", "surrogateescape")
                   for k, v in self.headers.items()}
        uri = "http://" + self.headers["Host"] + self.path
        method = self.command
        path = urllib.parse.urlsplit(self.path).path
        try:
            status, rh, rb = self.route(path, uri, method, body, headers)
        except Exception as e:  # a crash inside oauthlib is a finding too
            status, rh, rb = 500, {"Content-Type": "text/plain"}, "provider exception: %r" % (e,)
        if rb is None:
            rb = ""
        data = rb.encode("utf-8") if isinstance(rb, str) else rb
        self.send_response(status)
        for k, v in (rh or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if method != "HEAD":
            self.wfile.write(data)

    def route(self, path, uri, method, body, headers):
        if path == "/request_token" or path == "/nocc/request_token":
            h, b, s = RT.create_request_token_response(uri, method, body, headers)
            if path.startswith("/nocc") and s == 200:
                b = "&".join(p for p in b.split("&") if not p.startswith("oauth_callback_confirmed="))
            return s, h, b
        if path == "/authorize":
            realms, creds = AUTH.get_realms_and_credentials(uri, method, body, headers)
            h, b, s = AUTH.create_authorization_response(
                uri, method, body, headers, realms=realms, credentials={"extra": "x y"})
            return s, h, b
        if path == "/access_token":
            h, b, s = AT.create_access_token_response(
                uri, method, body, headers, credentials={"screen_name": "n\u00e4me x"})
            return s, h, b
        if path == "/deny/access_token":
            h, b, s = AT_DENY.create_access_token_response(uri, method, body, headers)
            return s, h, b
        if path.startswith("/res") or path.startswith("/strict/res"):
            ep = RES_STRICT if path.startswith("/strict") else RES
            valid, req = ep.validate_protected_resource_request(uri, method, body, headers)
            view = oauthlib_view(ep, uri, method, body, headers)
            view["valid"] = bool(valid)
            view["validator_log"] = getattr(req, "validator_log", None) if req else None
            view["uri"] = uri
            view["body"] = body
            return (200 if valid else 401), {"Content-Type": "application/json"}, json.dumps(view)
        return 404, {"Content-Type": "text/plain"}, "not found"

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _handle


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    srv = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    srv.daemon_threads = True
    print(srv.server_address[1], flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
