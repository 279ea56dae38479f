#!/usr/bin/env python3
"""Example: verifying the gateway's signed assertion (X-Auth-Assertion) in Python with PyJWT.

Needs PyJWT with its crypto extra (Debian: python3-jwt python3-cryptography; pip: "PyJWT[crypto]").
In a web app, call verify() on the header's value and use the returned claims instead of X-Auth-User/-Roles:

    claims = verify(request.headers["X-Auth-Assertion"])   # raises jwt.InvalidTokenError when not valid
    user, roles = claims["sub"], claims["roles"]

Run as a script it reads one token from stdin and prints the claims (exit 0) or the reason it was refused (exit 1):
    verify_assertion.py JWKS_URL ISSUER AUDIENCE < token
Tested by Gateway.Tests (AssertionBackendExampleTests).
"""
import json
import sys

import jwt

_clients = {}


def verify(token, jwks_url, issuer, audience):
    """The claims of a valid assertion: ES256 signature by a key of the gateway's JWKS, iss, aud, exp and nbf checked."""
    # PyJWKClient caches the key set and fetches it again when a token names a kid it does not hold (rotation).
    client = _clients.setdefault(jwks_url, jwt.PyJWKClient(jwks_url, cache_keys=True, lifespan=300))
    key = client.get_signing_key_from_jwt(token)
    return jwt.decode(
        token,
        key.key,
        algorithms=["ES256"],  # never taken from the token: no "none", no HS256 with the public key as secret
        issuer=issuer,
        audience=audience,
        leeway=60,
        options={"require": ["exp", "iat", "nbf", "iss", "aud", "sub"]},
    )


def main(argv):
    if len(argv) != 4:
        print("usage: verify_assertion.py JWKS_URL ISSUER AUDIENCE < token", file=sys.stderr)
        return 2
    try:
        claims = verify(sys.stdin.read().strip(), argv[1], argv[2], argv[3])
    except (jwt.InvalidTokenError, jwt.PyJWKClientError) as error:
        print(f"refused: {type(error).__name__}: {error}")
        return 1
    print(json.dumps(claims, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
