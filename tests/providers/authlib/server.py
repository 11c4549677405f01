#!/usr/bin/env python3
"""Real third-party DCR server for Registrar's tests: Authlib + Flask.

Registration (RFC 7591) and management (RFC 7592) are Authlib's own
``ClientRegistrationEndpoint`` and ``ClientConfigurationEndpoint``; the token
and authorization endpoints are Authlib's grant classes. This file holds only
the glue Authlib asks its users to write: in-memory storage, token lookup,
server metadata. All state is in process memory and is gone on exit.

Usage (from the repository root, with the venv made by tests/providers/install.sh):

    target/real-providers/authlib-venv/bin/python tests/providers/authlib/server.py [flags]

Flags:
  --port N                  listen on 127.0.0.1:N; 0 (default) picks a free port
  --issuer URL              public base URL (default http://127.0.0.1:PORT), e.g.
                            when a TLS proxy sits in front; all URLs derive from it
  --initial-access-token T  POST /register requires "Authorization: Bearer T";
                            without this flag registration is open
  --update merge|replace    PUT /register/<id>: replace (default) stores exactly the
                            metadata in the body (RFC 7592 semantics, Authlib's
                            documented example); merge keeps every field the PUT
                            body does not carry
  --rotate-token            issue a new registration_access_token on every PUT
                            (the old one stops working); default: the token is
                            kept for the client's lifetime
  --grant-types LIST        comma list for grant_types_supported and the grants
                            served (default authorization_code,client_credentials,
                            refresh_token); Authlib rejects registrations asking
                            for others
  --scopes LIST             scopes_supported (default "read,write,admin")
  --software-statement-jwks PATH
                            JWKS file of trusted directory keys: software_statement
                            is then verified by Authlib and its claims override the
                            body; without it Authlib drops software_statement unread.
                            The metadata then publishes
                            software_statement_alg_values_supported (see SOFTWARE
                            STATEMENTS below)
  --software-statement-algs LIST
                            comma list of JWS algs accepted for software_statement
                            (default: the "alg" members of the trusted keys, or
                            RS256,PS256,ES256,EdDSA when none has one)
  --software-statement-validate-claims
                            also reject a software_statement whose exp / nbf / iat
                            say it is not valid now (stock Authlib checks only the
                            signature: an expired statement is accepted)
  --private-key-jwt         the token endpoint also accepts private_key_jwt
                            (Authlib's rfc7523 JWTBearerClientAssertion, keys from the
                            client's registered jwks or jwks_uri) for every grant;
                            metadata lists it with
                            token_endpoint_auth_signing_alg_values_supported (see
                            PRIVATE_KEY_JWT below)
  --client-assertion-algs LIST
                            comma list of JWS algs accepted for client assertions;
                            default: what Authlib accepts as is, which is joserfc's
                            "recommended" set minus HS256: ES256,RS256 (PS256 and
                            EdDSA are then refused)
  --openid-config-without-registration
                            also serve /.well-known/openid-configuration (200) with
                            the same metadata minus registration_endpoint
  --log-requests            request log to stderr (default: silent)

Once listening it prints one JSON line to stdout and flushes:
  {"ready":true,"port":N,"issuer":"http://127.0.0.1:N","registration_endpoint":"http://127.0.0.1:N/register"}
Nothing else is written to stdout afterwards (stdout is pointed at stderr).
It exits on SIGTERM or SIGINT.

Endpoints:
  GET  /.well-known/oauth-authorization-server   RFC 8414 metadata
  POST /register                                  Authlib ClientRegistrationEndpoint
  GET|PUT|DELETE /register/<client_id>            Authlib ClientConfigurationEndpoint,
                                                  Bearer registration_access_token
  GET  /authorize                                 auto-approves user "demo" (code flow, PKCE optional)
  POST /token                                     authorization_code, client_credentials, refresh_token

SOFTWARE STATEMENTS (--software-statement-jwks; verified by hand with Authlib 1.9.10,
joserfc 1.8.0, ES256 directory key in a JWK Set file {"keys":[{"kty":"EC",...,"kid":"dir-1","alg":"ES256"}]}):
  Authlib (ClientRegistrationEndpoint.extract_software_statement) verifies the JWS
  with the trusted keys and software_statement_alg_values_supported, then merges
  the statement's claims OVER the JSON body (RFC 7591 §2.3: statement values win),
  keeps only its registered metadata names (redirect_uris token_endpoint_auth_method
  grant_types response_types client_name client_uri logo_uri scope contacts tos_uri
  policy_uri jwks_uri jwks software_id software_version; iss/iat/exp/jti and
  anything else are dropped) and validates the result like any body. The 201
  answer does not echo software_statement.
    SSA signed ES256, kid "dir-1", claims {iss, iat, exp, jti, software_id,
    client_name "From SSA", redirect_uris [...], scope "read"}, body
    {"client_name":"From body","software_statement":..,"contacts":[..],
    "redirect_uris":["https://other.example/cb"]}
      → 201 with client_name "From SSA", the SSA's redirect_uris, scope, software_id,
        and the body's contacts.
    kid absent from the header: accepted when the JWK Set has one key; with two
      keys → 400 {"error": "invalid_software_statement"}.
    expired (exp two hours ago): stock → 201, accepted (Authlib checks no claims);
      with --software-statement-validate-claims → 400
      {"error": "invalid_software_statement", "error_description": "The token is expired"}
      (nbf in the future: "The token is not yet valid"; iat in the future: "The
      token was issued in the future"; no exp at all: accepted).
    signed by another key with the trusted kid, an unknown kid, an alg outside
      software_statement_alg_values_supported (e.g. RS256 when only ES256 is), or
      a non-JWS string → 400 {"error": "invalid_software_statement"} (no
      error_description).
    statement claims that fail metadata validation, e.g. redirect_uris ["not a url"]
      → 400 {"error": "invalid_client_metadata", "error_description": "Invalid claim: 'redirect_uris'"}.
  Metadata: "software_statement_alg_values_supported": the --software-statement-algs
  list, else the keys' "alg" values (["ES256"] for one ES256 key), else
  ["RS256","PS256","ES256","EdDSA"]. joserfc also knows Ed25519 (RFC 9864 name;
  EdDSA still works). Without --software-statement-jwks, software_statement is
  dropped unread and the field is not published.

PRIVATE_KEY_JWT (--private-key-jwt; verified by hand the same way):
  Registration: {"token_endpoint_auth_method":"private_key_jwt",
  "grant_types":["client_credentials"],"jwks":{"keys":[<public JWKs>]}} or
  "jwks_uri":"http://127.0.0.1:N/jwks.json" (fetched by this glue at every token
  request, no cache, no SSRF guard) → 201 (Authlib still issues a client_secret).
  Authlib requires neither: a private_key_jwt client without keys registers and
  then fails at the token endpoint. A private key ("d") in jwks, or jwks together
  with jwks_uri → 400 {"error": "invalid_client_metadata", "error_description":
  "Invalid claim: 'jwks'"}. Without --private-key-jwt, registering private_key_jwt
  → 400 "Invalid claim: 'token_endpoint_auth_method'" (tls_client_auth always).
  Token: POST /token grant_type=client_credentials
    client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer
    client_assertion=<JWS, kid required when the client's set has several keys>
    claims: iss = sub = client_id, aud, exp (required), jti (required, single use)
    aud accepted: ISSUER + "/token" or ISSUER (or an array holding one of them)
    → 200 {"access_token":..,"expires_in":864000,"token_type":"Bearer"}
  Algs: stock Authlib passes no algorithm list, so joserfc allows only its
  recommended ES256 / RS256 (HS256 fails for want of a shared key); PS256 or EdDSA
  → 400 {"error": "invalid_client", "error_description": "Algorithm of 'PS256' is
  not recommended"}. With --client-assertion-algs ES256,PS256,RS256,EdDSA those four
  work and others answer "Algorithm of 'RS384' is not allowed".
  Failures (status 400 unless said; body {"error": "invalid_client", ...}):
    signed by another key, same kid       no error_description: {"error": "invalid_client"}
    unknown kid (or none, several keys)   "No key for kid: 'nope'" / "No key for kid: 'None'"
    expired (60 s leeway)                 "The token is expired"
    aud elsewhere                         "Invalid claim: 'aud'"
    no exp                                "Missing claim: 'exp'"
    no jti                                "Missing JWT ID."
    same assertion twice                  "JWT ID is used before."
    iss != sub                            "Issuer and Subject MUST match."
    unknown client (sub)                  "The client does not exist on this server."
    client registered with another method "The client cannot authenticate with method: private_key_jwt"
    no/empty client_assertion, or Basic   401 "The client cannot authenticate with methods:
      for a private_key_jwt client            ['client_secret_basic', 'client_secret_post', 'private_key_jwt']"
"""

import argparse
import json
import logging
import warnings
import secrets
import signal
import sys
import threading
import time
from urllib.parse import urlparse
from urllib.request import urlopen

from flask import Flask
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry
from werkzeug.serving import make_server

from authlib.common.security import generate_token
from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import AuthorizationCodeMixin
from authlib.oauth2.rfc6749 import ClientMixin
from authlib.oauth2.rfc6749 import TokenMixin
from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc6749 import list_to_scope
from authlib.oauth2.rfc6749 import scope_to_list
from authlib.oauth2.rfc6749 import InvalidClientError
from authlib.oauth2.rfc7523 import JWTBearerClientAssertion
from authlib.oauth2.rfc7591 import ClientRegistrationEndpoint
from authlib.oauth2.rfc7591 import InvalidSoftwareStatementError
from authlib.oauth2.rfc7592 import ClientConfigurationEndpoint
from authlib.oauth2.rfc7636 import CodeChallenge

ALL_GRANT_TYPES = ["authorization_code", "client_credentials", "refresh_token"]
AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]
# With --private-key-jwt: what Authlib's JWTBearerClientAssertion verifies when no
# algorithms are passed (joserfc's recommended JWS algs, HS256 left out: no
# shared secret is involved in private_key_jwt).
STOCK_ASSERTION_ALGS = ["ES256", "RS256"]
DEFAULT_SSA_ALGS = ["RS256", "PS256", "ES256", "EdDSA"]


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--issuer", default=None)
    p.add_argument("--initial-access-token", default=None)
    p.add_argument("--update", choices=["merge", "replace"], default="replace")
    p.add_argument("--rotate-token", action="store_true")
    p.add_argument("--grant-types", default=",".join(ALL_GRANT_TYPES))
    p.add_argument("--scopes", default="read,write,admin")
    p.add_argument("--software-statement-jwks", default=None)
    p.add_argument("--software-statement-algs", default=None)
    p.add_argument("--software-statement-validate-claims", action="store_true")
    p.add_argument("--private-key-jwt", action="store_true")
    p.add_argument("--client-assertion-algs", default=None)
    p.add_argument("--openid-config-without-registration", action="store_true")
    p.add_argument("--log-requests", action="store_true")
    args = p.parse_args(argv)
    args.grant_types = [g for g in args.grant_types.split(",") if g]
    unknown = set(args.grant_types) - set(ALL_GRANT_TYPES)
    if unknown:
        p.error(f"unsupported grant types: {sorted(unknown)}")
    args.scopes = [s for s in args.scopes.split(",") if s]
    for name in ("software_statement_algs", "client_assertion_algs"):
        value = getattr(args, name)
        if value is not None:
            algs = [a for a in value.split(",") if a]
            unknown = set(algs) - set(JWSRegistry.algorithms) - {"none"}
            if not algs or unknown or "none" in algs:
                p.error(f"--{name.replace('_', '-')}: unsupported algs {sorted(unknown) or algs}")
            setattr(args, name, algs)
    return args


ARGS = None
ISSUER = None  # set once the port is known
TRUSTED_KEYS = None  # KeySet for software statements
SSA_ALGS = None  # algs accepted for software statements (with TRUSTED_KEYS)
USED_JTIS = {}  # (client_id, jti) of client assertions -> expiry (epoch seconds)
LOCK = threading.RLock()  # one request at a time touches the stores

# ---------------------------------------------------------------- storage

CLIENTS = {}  # client_id -> Client
REGISTRATION_TOKENS = {}  # registration_access_token -> RegistrationToken
CODES = {}  # code -> AuthorizationCode
ACCESS_TOKENS = {}  # access_token -> Token
REFRESH_TOKENS = {}  # refresh_token -> Token


class User:
    def __init__(self, user_id):
        self.id = user_id

    def get_user_id(self):
        return self.id


DEMO_USER = User("demo")


class Client(ClientMixin):
    """Plain-Python counterpart of authlib's sqla OAuth2ClientMixin:
    ``client_info`` (issued by the server) and ``client_metadata`` (registered
    metadata) are the two dicts Authlib's RFC 7592 endpoint reads back."""

    def __init__(self, client_info, client_metadata):
        self.client_info = dict(client_info)
        self.client_metadata = dict(client_metadata)

    @property
    def client_id(self):
        return self.client_info["client_id"]

    def _meta(self, key, default):
        value = self.client_metadata.get(key)
        return default if value is None else value

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        uris = self._meta("redirect_uris", [])
        return uris[0] if uris else None

    def get_allowed_scope(self, scope):
        if not scope:
            return ""
        allowed = set(scope_to_list(self._meta("scope", "")))
        return list_to_scope([s for s in scope_to_list(scope) if s in allowed])

    def check_redirect_uri(self, redirect_uri):
        return redirect_uri in self._meta("redirect_uris", [])

    def check_client_secret(self, client_secret):
        secret = self.client_info.get("client_secret")
        return bool(secret) and secrets.compare_digest(secret, client_secret)

    def check_endpoint_auth_method(self, method, endpoint):
        if endpoint == "token":
            return method == self._meta("token_endpoint_auth_method", "client_secret_basic")
        return True

    # RFC 7591 §2 defaults when the client registered none.
    def check_response_type(self, response_type):
        return response_type in self._meta("response_types", ["code"])

    def check_grant_type(self, grant_type):
        return grant_type in self._meta("grant_types", ["authorization_code"])


class RegistrationToken(TokenMixin):
    """registration_access_token of RFC 7592, bound to one client."""

    def __init__(self, client_id):
        self.token = generate_token(48)
        self.client_id = client_id

    def check_client(self, client):
        return client.get_client_id() == self.client_id


def issue_registration_token(client_id):
    tok = RegistrationToken(client_id)
    REGISTRATION_TOKENS[tok.token] = tok
    return tok


def revoke_registration_tokens(client_id):
    for value in [v for v, t in REGISTRATION_TOKENS.items() if t.client_id == client_id]:
        del REGISTRATION_TOKENS[value]


class InitialAccessToken:
    """What authenticate_token returns on POST /register: Authlib refuses the
    request when it gets nothing truthy, so open registration returns one too."""

    def __init__(self, value):
        self.value = value


class AuthorizationCode(AuthorizationCodeMixin):
    def __init__(self, code, client_id, redirect_uri, scope, user_id,
                 code_challenge, code_challenge_method):
        self.code = code
        self.client_id = client_id
        self.redirect_uri = redirect_uri
        self.scope = scope
        self.user_id = user_id
        self.code_challenge = code_challenge
        self.code_challenge_method = code_challenge_method
        self.issued_at = time.time()

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def is_expired(self):
        return time.time() - self.issued_at > 600


class Token(TokenMixin):
    def __init__(self, token, client_id, user_id):
        self.access_token = token["access_token"]
        self.refresh_token = token.get("refresh_token")
        self.scope = token.get("scope", "")
        self.expires_in = token.get("expires_in", 0)
        self.client_id = client_id
        self.user_id = user_id
        self.issued_at = time.time()
        self.revoked = False

    def check_client(self, client):
        return client.get_client_id() == self.client_id

    def get_scope(self):
        return self.scope

    def get_expires_in(self):
        return self.expires_in

    def is_expired(self):
        return time.time() > self.issued_at + self.expires_in

    def is_revoked(self):
        return self.revoked

    def get_user(self):
        return DEMO_USER if self.user_id == DEMO_USER.id else None

    def get_client(self):
        return CLIENTS.get(self.client_id)


def bearer_token(request):
    auth = request.headers.get("Authorization") or ""
    scheme, _, value = auth.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


# ---------------------------------------------------------------- metadata


def token_auth_methods():
    return list(AUTH_METHODS) + (["private_key_jwt"] if ARGS.private_key_jwt else [])


def client_assertion_algs():
    return list(ARGS.client_assertion_algs or STOCK_ASSERTION_ALGS)


def server_metadata():
    md = {
        "issuer": ISSUER,
        "token_endpoint": ISSUER + "/token",
        "registration_endpoint": ISSUER + "/register",
        "grant_types_supported": list(ARGS.grant_types),
        "response_types_supported": [],
        "token_endpoint_auth_methods_supported": token_auth_methods(),
        "scopes_supported": list(ARGS.scopes),
    }
    if ARGS.private_key_jwt:
        md["token_endpoint_auth_signing_alg_values_supported"] = client_assertion_algs()
    if TRUSTED_KEYS is not None:
        md["software_statement_alg_values_supported"] = list(SSA_ALGS)
    if "authorization_code" in ARGS.grant_types:
        md["authorization_endpoint"] = ISSUER + "/authorize"
        md["response_types_supported"] = ["code"]
        md["code_challenge_methods_supported"] = ["S256", "plain"]
    return md


# ---------------------------------------------------------------- RFC 7591 / 7592 glue


class RegistrationEndpoint(ClientRegistrationEndpoint):
    def authenticate_token(self, request):
        if ARGS.initial_access_token is None:
            return InitialAccessToken(None)  # open registration
        value = bearer_token(request)
        if value and secrets.compare_digest(value, ARGS.initial_access_token):
            return InitialAccessToken(value)
        return None  # Authlib answers AccessDeniedError

    def resolve_public_key(self, request):
        return TRUSTED_KEYS

    def extract_software_statement(self, software_statement, request):
        # Authlib verifies the signature only ("there is no need to validate
        # claims"); --software-statement-validate-claims adds joserfc's
        # exp / nbf / iat checks with the same error Authlib uses.
        claims = super().extract_software_statement(software_statement, request)
        if ARGS.software_statement_validate_claims:
            try:
                jwt.JWTClaimsRegistry().validate(claims)
            except JoseError as error:
                raise InvalidSoftwareStatementError(description=error.description) from error
        return claims

    def save_client(self, client_info, client_metadata, request):
        client = Client(client_info, client_metadata)
        CLIENTS[client.client_id] = client
        return client

    def generate_client_registration_info(self, client, request):
        tok = issue_registration_token(client.client_id)
        return {
            "registration_client_uri": f"{ISSUER}/register/{client.client_id}",
            "registration_access_token": tok.token,
        }

    def get_server_metadata(self):
        return server_metadata()


class ConfigurationEndpoint(ClientConfigurationEndpoint):
    def authenticate_token(self, request):
        value = bearer_token(request)
        return REGISTRATION_TOKENS.get(value) if value else None

    def authenticate_client(self, request):
        client_id = urlparse(request.uri).path.rstrip("/").rsplit("/", 1)[-1]
        return CLIENTS.get(client_id)

    # Authlib calls revoke_access_token(request, token), although its docstring
    # shows (token, request): accept either order.
    def revoke_access_token(self, *args):
        for arg in args:
            if isinstance(arg, RegistrationToken):
                REGISTRATION_TOKENS.pop(arg.token, None)

    def check_permission(self, client, request):
        return True

    def delete_client(self, client, request):
        CLIENTS.pop(client.client_id, None)
        revoke_registration_tokens(client.client_id)
        for store in (ACCESS_TOKENS, REFRESH_TOKENS, CODES):
            for key in [k for k, v in store.items() if v.client_id == client.client_id]:
                del store[key]

    def update_client(self, client, client_metadata, request):
        if ARGS.update == "merge":
            # Only fields present in the PUT body change (Authlib's claims
            # validation also injects defaults, e.g. token_endpoint_auth_method,
            # which must not overwrite a registered value here).
            # An explicit null removes the field (as in RFC 7396 merge patch).
            sent = request.payload.data
            merged = dict(client.client_metadata)
            for key, value in client_metadata.items():
                if key not in sent:
                    continue
                if value is None:
                    merged.pop(key, None)
                else:
                    merged[key] = value
            client.client_metadata = merged
        else:
            client.client_metadata = dict(client_metadata)
        return client

    def generate_client_registration_info(self, client, request):
        token = request.credential  # the RegistrationToken that authenticated
        if ARGS.rotate_token and request.method == "PUT":
            REGISTRATION_TOKENS.pop(token.token, None)
            token = issue_registration_token(client.client_id)
        return {
            "registration_client_uri": f"{ISSUER}/register/{client.client_id}",
            "registration_access_token": token.token,
        }

    def get_server_metadata(self):
        return server_metadata()


# ---------------------------------------------------------------- private_key_jwt glue


class PrivateKeyJWTAuth(JWTBearerClientAssertion):
    """Authlib's RFC 7523 client assertion check, as its docs have users
    register it, under the RFC 7591 method name. Keys: the client's registered
    ``jwks``, else its ``jwks_uri`` fetched on every request (no cache)."""

    CLIENT_AUTH_METHOD = "private_key_jwt"

    def get_audiences(self):
        return [ISSUER + "/token", ISSUER]

    def validate_jti(self, claims, jti):
        now = time.time()
        for key in [k for k, exp in USED_JTIS.items() if exp < now]:
            del USED_JTIS[key]
        key = (claims["sub"], jti)
        if key in USED_JTIS:
            return False
        USED_JTIS[key] = max(float(claims.get("exp", 0)), now) + self.leeway
        return True

    def resolve_client_public_key(self, client):
        if not client.check_endpoint_auth_method(self.CLIENT_AUTH_METHOD, "token"):
            # Authlib's own answer (authenticate_client), before looking for keys.
            raise InvalidClientError(
                description=f"The client cannot authenticate with method: {self.CLIENT_AUTH_METHOD}"
            )
        jwks = client.client_metadata.get("jwks")
        if jwks is None and client.client_metadata.get("jwks_uri"):
            try:
                with urlopen(client.client_metadata["jwks_uri"], timeout=5) as response:
                    jwks = json.load(response)
            except (OSError, ValueError) as error:
                raise InvalidClientError(description=f"jwks_uri: {error}") from error
        if jwks is None:
            raise InvalidClientError(description="The client has no jwks or jwks_uri.")
        return KeySet.import_key_set(jwks)

    def process_assertion_claims(self, assertion, resolve_key):
        if ARGS.client_assertion_algs is None:
            return super().process_assertion_claims(assertion, resolve_key)
        # Authlib's own body with the algorithms passed to joserfc.
        try:
            token = jwt.decode(assertion, resolve_key, algorithms=ARGS.client_assertion_algs)
        except JoseError as e:
            raise InvalidClientError(description=e.description) from e
        self.verify_claims(token.claims)
        return token.claims


# ---------------------------------------------------------------- grants glue


class AuthorizationCodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = list(AUTH_METHODS)

    def save_authorization_code(self, code, request):
        data = request.payload.data
        item = AuthorizationCode(
            code=code,
            client_id=request.client.get_client_id(),
            redirect_uri=request.payload.redirect_uri,
            scope=request.scope,
            user_id=request.user.get_user_id(),
            code_challenge=data.get("code_challenge"),
            code_challenge_method=data.get("code_challenge_method"),
        )
        CODES[code] = item
        return item

    def query_authorization_code(self, code, client):
        item = CODES.get(code)
        if item and item.client_id == client.get_client_id() and not item.is_expired():
            return item
        return None

    def delete_authorization_code(self, authorization_code):
        CODES.pop(authorization_code.code, None)

    def authenticate_user(self, authorization_code):
        return DEMO_USER if authorization_code.user_id == DEMO_USER.id else None


class ClientCredentialsGrant(grants.ClientCredentialsGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]


class RefreshTokenGrant(grants.RefreshTokenGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = list(AUTH_METHODS)
    INCLUDE_NEW_REFRESH_TOKEN = True

    def authenticate_refresh_token(self, refresh_token):
        token = REFRESH_TOKENS.get(refresh_token)
        if token and not token.is_revoked():
            return token
        return None

    def authenticate_user(self, refresh_token):
        return refresh_token.get_user()

    def revoke_old_credential(self, refresh_token):
        refresh_token.revoked = True
        REFRESH_TOKENS.pop(refresh_token.refresh_token, None)
        ACCESS_TOKENS.pop(refresh_token.access_token, None)


def query_client(client_id):
    return CLIENTS.get(client_id)


def save_token(token, request):
    user = request.user
    item = Token(token, request.client.get_client_id(), user.get_user_id() if user else None)
    ACCESS_TOKENS[item.access_token] = item
    if item.refresh_token:
        REFRESH_TOKENS[item.refresh_token] = item


# ---------------------------------------------------------------- app


def create_app():
    app = Flask(__name__)
    app.config["OAUTH2_REFRESH_TOKEN_GENERATOR"] = True
    app.config["OAUTH2_SCOPES_SUPPORTED"] = list(ARGS.scopes)
    server = AuthorizationServer(app, query_client=query_client, save_token=save_token)

    if ARGS.private_key_jwt:
        server.register_client_auth_method(PrivateKeyJWTAuth.CLIENT_AUTH_METHOD, PrivateKeyJWTAuth())
        for grant in (AuthorizationCodeGrant, ClientCredentialsGrant, RefreshTokenGrant):
            if "private_key_jwt" not in grant.TOKEN_ENDPOINT_AUTH_METHODS:
                grant.TOKEN_ENDPOINT_AUTH_METHODS = grant.TOKEN_ENDPOINT_AUTH_METHODS + ["private_key_jwt"]

    if "authorization_code" in ARGS.grant_types:
        server.register_grant(AuthorizationCodeGrant, [CodeChallenge(required=False)])
    if "client_credentials" in ARGS.grant_types:
        server.register_grant(ClientCredentialsGrant)
    if "refresh_token" in ARGS.grant_types:
        server.register_grant(RefreshTokenGrant)

    registration = RegistrationEndpoint()
    if TRUSTED_KEYS is not None:
        registration.software_statement_alg_values_supported = list(SSA_ALGS)
    server.register_endpoint(registration)
    server.register_endpoint(ConfigurationEndpoint)

    @app.get("/.well-known/oauth-authorization-server")
    def as_metadata():
        return server_metadata()

    if ARGS.openid_config_without_registration:

        @app.get("/.well-known/openid-configuration")
        def openid_configuration():
            md = server_metadata()
            md.pop("registration_endpoint", None)
            return md

    @app.post("/register")
    def register():
        with LOCK:
            return server.create_endpoint_response("client_registration")

    @app.route("/register/<client_id>", methods=["GET", "PUT", "DELETE"])
    def manage(client_id):
        with LOCK:
            return server.create_endpoint_response("client_configuration")

    if "authorization_code" in ARGS.grant_types:

        @app.get("/authorize")
        def authorize():
            with LOCK:
                try:
                    grant = server.get_consent_grant(end_user=DEMO_USER)
                except OAuth2Error as error:
                    return server.handle_error_response(None, error)
                return server.create_authorization_response(grant_user=DEMO_USER, grant=grant)

    @app.post("/token")
    def issue_token():
        with LOCK:
            return server.create_token_response()

    return app


def main(argv=None):
    global ARGS, ISSUER, TRUSTED_KEYS, SSA_ALGS
    ARGS = parse_args(sys.argv[1:] if argv is None else argv)
    # joserfc 1.8 warns on every EdDSA verification (RFC 9864 prefers Ed25519).
    warnings.filterwarnings("ignore", message="EdDSA is deprecated")

    logging.getLogger("werkzeug").setLevel(logging.INFO if ARGS.log_requests else logging.ERROR)
    if ARGS.log_requests:
        handler = logging.StreamHandler(sys.stderr)
        logging.getLogger("werkzeug").addHandler(handler)

    if ARGS.software_statement_jwks:
        with open(ARGS.software_statement_jwks) as f:
            TRUSTED_KEYS = KeySet.import_key_set(json.load(f))
        key_algs = sorted({k.get("alg") for k in TRUSTED_KEYS.keys if k.get("alg")})
        SSA_ALGS = ARGS.software_statement_algs or key_algs or list(DEFAULT_SSA_ALGS)

    app = create_app()  # its views read ISSUER per request
    srv = make_server("127.0.0.1", ARGS.port, app, threaded=True)
    port = srv.server_port
    ISSUER = (ARGS.issuer or f"http://127.0.0.1:{port}").rstrip("/")

    def stop(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    line = {
        "ready": True,
        "port": port,
        "issuer": ISSUER,
        "registration_endpoint": ISSUER + "/register",
    }
    sys.stdout.write(json.dumps(line, separators=(",", ":")) + "\n")
    sys.stdout.flush()
    # Authlib itself print()s on some PUT validation errors: keep stdout to the one line.
    sys.stdout = sys.stderr
    try:
        srv.serve_forever()
    finally:
        srv.server_close()


if __name__ == "__main__":
    main()
