#!/usr/bin/python3
"""oauthlib 3.2.2's Client signs requests and sends them, with http.client, to
the Go test's server, which checks them with oauthkit's oauth1.Verifier.

Usage: python3 client.py
Reads one JSON object per line on stdin, each a request to sign and send:

  method        signature method (HMAC-SHA1, ..., RSA-SHA512, PLAINTEXT)
  placement     "header", "query" or "form body"
  http_method   GET, POST, ...
  uri           the full URI, as oauthlib signs it; the request goes to
                127.0.0.1 at the URI's port (443 for https, 80 for http when
                it has none), with the URI's host in the Host header
  body          a str, or null
  content_type  a str, or null
  client        the keyword arguments of oauthlib.oauth1.Client (client_key,
                client_secret, resource_owner_key, realm, callback_uri,
                verifier, timestamp, ...); for RSA methods the private key
                comes from the environment variable
                OAUTHLIB_INTEROP_RSA_PRIVATE_PEM
  tamper        change the signed request before sending it: the path for
                methods that sign it, the signature for PLAINTEXT
  replay        send the request twice

Writes one JSON object per line on stdout: the signed uri, headers and body,
the parameters urllib.parse.parse_qsl reads from the signed query and form
body (oauth_* left out), and the JSON the Go server answered (the second
answer when replaying, the first in "first"), or "error".
"""
import http.client
import json
import os
import ssl
import sys
import urllib.parse

import oauthlib
from oauthlib.oauth1 import Client
from oauthlib.oauth1.rfc5849 import (SIGNATURE_TYPE_AUTH_HEADER,
                                     SIGNATURE_TYPE_BODY, SIGNATURE_TYPE_QUERY)

assert oauthlib.__version__ == "3.2.2", oauthlib.__version__

FORM = "application/x-www-form-urlencoded"
TYPES = {"header": SIGNATURE_TYPE_AUTH_HEADER, "query": SIGNATURE_TYPE_QUERY,
         "form body": SIGNATURE_TYPE_BODY}


def send(method, uri, headers, body):
    u = urllib.parse.urlsplit(uri)
    if u.scheme == "https":
        c = http.client.HTTPSConnection("127.0.0.1", u.port or 443,
                                        context=ssl._create_unverified_context(), timeout=10)
    else:
        c = http.client.HTTPConnection("127.0.0.1", u.port or 80, timeout=10)
    target = u.path + ("?" + u.query if u.query else "")
    hdrs = dict(headers or {})
    hdrs["Host"] = u.netloc  # as given, upper case kept
    c.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
    data = body.encode("utf-8") if isinstance(body, str) else (body or b"")
    for k, v in hdrs.items():
        c.putheader(k, v.encode("utf-8"))  # http.client would send latin-1
    if data or method in ("POST", "PUT"):
        c.putheader("Content-Length", str(len(data)))
    c.endheaders(data if data else None)
    r = c.getresponse()
    out = json.loads(r.read().decode("utf-8"))
    c.close()
    return out


def expected_params(uri, body, ctype):
    q = urllib.parse.urlsplit(uri).query
    ps = urllib.parse.parse_qsl(q, keep_blank_values=True)
    if ctype == FORM and isinstance(body, str):
        ps += urllib.parse.parse_qsl(body, keep_blank_values=True)
    return [list(p) for p in ps if not p[0].startswith("oauth_")]


def tamper(method, u, h, b):
    if method == "PLAINTEXT":  # signs nothing of the request: change the signature
        return (u.replace("oauth_signature=", "oauth_signature=x", 1),
                {k: v.replace('oauth_signature="', 'oauth_signature="x', 1) for k, v in h.items()},
                b.replace("oauth_signature=", "oauth_signature=x", 1) if isinstance(b, str) else b)
    p = urllib.parse.urlsplit(u)
    return urllib.parse.urlunsplit(p._replace(path=p.path + "x")), h, b


def run(c):
    kw = dict(c["client"])
    kw["signature_method"] = c["method"]
    kw["signature_type"] = TYPES[c["placement"]]
    if c["method"].startswith("RSA"):
        kw["rsa_key"] = os.environ["OAUTHLIB_INTEROP_RSA_PRIVATE_PEM"]
    headers = {"Content-Type": c["content_type"]} if c.get("content_type") else {}
    try:
        suri, sh, sb = Client(**kw).sign(c["uri"], c["http_method"], body=c.get("body"), headers=headers)
    except Exception as e:  # noqa
        return dict(error="oauthlib Client.sign raised %r" % (e,))
    if c.get("tamper"):
        suri, sh, sb = tamper(c["method"], suri, sh, sb)
    out = dict(signed_uri=suri, signed_headers=sh, signed_body=sb,
               expected_params=expected_params(suri, sb, c.get("content_type")))
    try:
        got = send(c["http_method"], suri, sh, sb)
        if c.get("replay"):
            out["first"] = got
            got = send(c["http_method"], suri, sh, sb)
    except Exception as e:  # noqa
        out["error"] = "send: %r" % (e,)
        return out
    out["verifier"] = got
    return out


def main():
    for line in sys.stdin:
        print(json.dumps(run(json.loads(line))), flush=True)


if __name__ == "__main__":
    main()
