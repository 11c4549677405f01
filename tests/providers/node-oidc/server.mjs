#!/usr/bin/env node
// Real node-oidc-provider (panva/node-oidc-provider, pinned in package.json)
// started as an RFC 7591/7592 dynamic client registration server for the
// Registrar integration tests.
//
// USAGE
//   node server.mjs ['<json>']
//
//   Configuration is ONE JSON object, taken from the first command-line
//   argument, or else from the environment variable NODE_OIDC_CONFIG, or else
//   `{}` (all defaults). Unknown keys are an error. Keys (all optional):
//
//     port                           number   0      0 = pick a free port
//     initialAccessToken             string|null null  null = open registration;
//                                                    a string = that fixed token
//                                                    is required as
//                                                    "Authorization: Bearer <it>"
//                                                    on POST /reg
//     registrationManagement         bool     true   RFC 7592 GET/PUT/DELETE
//     rotateRegistrationAccessToken  bool     true   new registration_access_token
//                                                    on every PUT (provider default)
//     clientCredentials              bool     false  features.clientCredentials;
//                                                    while off, registering
//                                                    grant_types ["client_credentials"]
//                                                    is refused
//     deviceFlow                     bool     false  features.deviceFlow
//     introspection                  bool     false  features.introspection
//     revocation                     bool     false  features.revocation
//     resourceIndicators             bool     true   features.resourceIndicators
//                                                    (on in a stock provider)
//     mTLS                           bool|object false true = enabled with
//                                                    tlsClientAuth,
//                                                    selfSignedTlsClientAuth and
//                                                    certificateBoundAccessTokens,
//                                                    and those two auth methods added
//                                                    to clientAuthMethods; an object =
//                                                    merged into features.mTLS as given.
//                                                    Either way getCertificate,
//                                                    certificateAuthorized and
//                                                    certificateSubjectMatches are this
//                                                    file's (see HTTPS AND CLIENT
//                                                    CERTIFICATES). Over plain HTTP no
//                                                    certificate ever arrives, so only
//                                                    metadata/registration change
//     devInteractions                bool     true   features.devInteractions
//     discovery                      string   "both" which metadata documents answer:
//                                                    "both"  = stock provider: the same
//                                                              document at
//                                                              /.well-known/openid-configuration
//                                                              AND /.well-known/oauth-authorization-server
//                                                              (RFC 8414)
//                                                    "oidc"  = only openid-configuration
//                                                              (RFC 8414 path answers 404)
//                                                    "oauth" = only oauth-authorization-server
//                                                              (OIDC path answers 404)
//                                                    "none"  = both answer 404
//                                                    (the 404 is the provider's own
//                                                    text/plain "Not Found")
//     quiet                          bool     true   drop oidc-provider's two known
//                                                    development-only notices
//                                                    (in-memory adapter,
//                                                    devInteractions); every other
//                                                    warning still goes to stderr,
//                                                    e.g. on Node 20 the provider's
//                                                    "Unsupported runtime. Use
//                                                    Node.js v22.x LTS" (9.x is
//                                                    tested upstream on Node >= 22
//                                                    only; it works on 20.20)
//     staleJwks                      number   0      the first N requests for the JWK
//                                                    Set get a set from before a key
//                                                    rotation (one old RSA key, not
//                                                    the one signing now), as a
//                                                    client or cache holding an old
//                                                    copy would have; later requests
//                                                    get the provider's own set
//     https                          object|null null  serve HTTPS instead of HTTP (see
//                                                    HTTPS AND CLIENT CERTIFICATES below):
//                                                    {"cert": PEM, "key": PEM,
//                                                     "ca": PEM|[PEM,...],   optional
//                                                     "requestCert": bool,   default true
//                                                     "hostname": "127.0.0.1"|"localhost"}
//                                                    cert may hold the chain (leaf first)
//     mtlsEndpointAliases            bool     false  needs https: a second HTTPS listener on
//                                                    its own free port that always requests
//                                                    client certificates; discovery then
//                                                    publishes mtls_endpoint_aliases (RFC 8705
//                                                    §5) pointing at it, and the ready line
//                                                    carries mtls_port and the aliases
//     mtls                           bool|object -    alias of mTLS (give one of the two)
//     privateKeyJwt                  bool     false  private_key_jwt / client_secret_jwt
//                                                    clients (see PRIVATE_KEY_JWT below):
//                                                    clientCredentials on (unless given
//                                                    false), clientAuthSigningAlgValues
//                                                    HS256 RS256 PS256 ES256 Ed25519 EdDSA,
//                                                    loopbackFetch on (unless given false)
//     loopbackFetch                  bool|null null  let the provider fetch jwks_uri (and
//                                                    other client URLs) from special-use
//                                                    addresses such as 127.0.0.1, which its
//                                                    SSRF guard refuses; null = on when
//                                                    privateKeyJwt or mTLS is on
//     resourceServers                object   {}     RFC 8707 resource indicators the
//                                                    provider accepts, exact URL → info:
//                                                    {"http://127.0.0.1:N/mcp":
//                                                      {"scope": "mcp:tools mcp:read",
//                                                       "accessTokenFormat": "jwt",   default "jwt"
//                                                       "accessTokenTTL": 600,        optional
//                                                       "audience": "..."}}           default = the URL
//                                                    (features.resourceIndicators.
//                                                    getResourceServerInfo; see RESOURCE
//                                                    INDICATORS below). {} and null
//                                                    loopbackResources = stock: every
//                                                    resource parameter is invalid_target
//     loopbackResources              object|null null  the same info for ANY resource
//                                                    indicator http(s)://127.0.0.1:<port>/...,
//                                                    http(s)://localhost:<port>/... or
//                                                    http(s)://[::1]:<port>/... not in
//                                                    resourceServers (a server started after
//                                                    this one, on a free port, e.g. the MCP
//                                                    server of tests/providers/mcp-server)
//     cimd                           bool|object|null null  OAuth Client ID Metadata
//                                                    Document (draft-ietf-oauth-client-id-
//                                                    metadata-document-02, experimental in
//                                                    oidc-provider 9.13.3:
//                                                    features.clientIdMetadataDocument,
//                                                    acknowledged as "draft-02"): an https
//                                                    URL used as client_id is fetched as the
//                                                    client's metadata; discovery says
//                                                    client_id_metadata_document_supported:
//                                                    true. true or an object turns it on and
//                                                    loopbackFetch on (unless given false);
//                                                    object keys (all optional):
//                                                      caFile  path of a PEM file whose CA
//                                                              certificates are trusted, on
//                                                              top of node's bundled roots,
//                                                              for every fetch the provider
//                                                              makes (the document's https
//                                                              server on 127.0.0.1 with a
//                                                              test CA); needs loopbackFetch
//                                                      cacheDuration {"min": s, "max": s}
//                                                              (provider default 30 / 86400)
//     logErrors                      bool     false  one stderr line per OAuth error the
//                                                    provider answers, with the detail it
//                                                    keeps out of the response body:
//                                                    "node-oidc error: <event> <error>
//                                                    (<error_description>) detail=<...>"
//     features                       object   {}     deep-merged last into
//                                                    configuration.features
//                                                    (escape hatch for anything else)
//     config                         object   {}     deep-merged last into the whole
//                                                    Provider configuration
//     exitOnStdinClose               bool     false  exit 0 when stdin reaches EOF
//                                                    (do not use with stdin=/dev/null)
//
// OUTPUT
//   Once listening, exactly one line on stdout, then nothing else on stdout:
//     {"ready":true,"port":12345,"issuer":"http://127.0.0.1:12345",
//      "registration_endpoint":"http://127.0.0.1:12345/reg",
//      "discovery":"http://127.0.0.1:12345/.well-known/openid-configuration"}
//   ("discovery" is the document that answers: the oauth-authorization-server
//   one with discovery "oauth", null with "none"). With https every URL is
//   https://<hostname>:<port> (hostname 127.0.0.1 unless https.hostname is
//   "localhost"; the server always listens on 127.0.0.1 only). With
//   mtlsEndpointAliases two more keys follow:
//     "mtls_port":N,"mtls_endpoint_aliases":{"token_endpoint":"https://127.0.0.1:N/token",...}
//   (the same object discovery publishes).
//   Everything else (provider notices, errors) goes to stderr. A bad
//   configuration or a failure to start exits non-zero with the reason on stderr.
//   SIGTERM / SIGINT close the server and exit 0.
//
// HTTPS AND CLIENT CERTIFICATES (keys https, mtlsEndpointAliases, mTLS)
//   https makes the listener a node:https server with {cert, key, ca,
//   requestCert (default true), rejectUnauthorized: false}: every handshake
//   asks for a client certificate, none is required, and an unverifiable one
//   still reaches the provider, which decides per client:
//     getCertificate(ctx)         socket.getPeerX509Certificate() (an
//                                 X509Certificate; oidc-provider 9.x takes that
//                                 or a PEM string), undefined when none was sent
//     certificateAuthorized(ctx)  socket.authorized: the chain verified against
//                                 https.ca (tls_client_auth only; without ca no
//                                 test certificate is ever "authorized")
//     certificateSubjectMatches   tls_client_auth_subject_dn compared as RDNs:
//                                 the registered value in RFC 4514 form (what
//                                 `openssl x509 -noout -subject -nameopt RFC2253`
//                                 prints, least significant RDN first:
//                                 "CN=client-one,OU=Clients,O=Registrar Tests,C=DE";
//                                 spaces after commas tolerated; \, \+ \\ and \XX
//                                 escapes; types CN L ST O OU C STREET DC UID
//                                 SERIALNUMBER emailAddress... case-insensitive or
//                                 dotted OIDs) or OpenSSL's slash form, most
//                                 significant first: "/C=DE/O=Registrar Tests/OU=Clients/CN=client-one".
//                                 Same RDNs in the same order, values
//                                 case-sensitive: "C=DE,O=...,CN=client-one"
//                                 (reversed) does NOT match. san_dns / san_ip /
//                                 san_email / san_uri are checked against the
//                                 subjectAltName.
//   The server certificate must name 127.0.0.1 (subjectAltName IP:127.0.0.1,
//   and DNS:localhost for hostname "localhost"); clients trust it through its CA.
//   oidc-provider 9.x publishes no mtls_endpoint_aliases itself (its discovery
//   only adds tls_client_certificate_bound_access_tokens: true when
//   certificateBoundAccessTokens is on); mtlsEndpointAliases adds them through
//   configuration.discovery, pointing at a second listener (always
//   requestCert) that serves the same provider. Set https.requestCert false to
//   make the aliases the only place a certificate can arrive.
//
//   Verified by hand (openssl 3.0, curl, node 20.20, oidc-provider 9.13.3) with
//   {"https":{"cert":..., "key":..., "ca":<CA PEM>},"mtls":true,
//    "privateKeyJwt":true,"introspection":true,"revocation":true,
//    "mtlsEndpointAliases":true,"logErrors":true}:
//     openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
//       -keyout ca.key -out ca.pem -days 3650 -subj "/CN=Registrar Test CA"
//     openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
//       -keyout server.key -out server.csr -subj "/CN=127.0.0.1"
//     openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
//       -out server.pem -days 3650 -extfile <(printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n')
//     (client.pem: the same with -subj "/C=DE/O=Registrar Tests/OU=Clients/CN=client-one"
//      and extendedKeyUsage=clientAuth; self.pem: a self-signed -x509 one, CN=self-signed-client)
//   Discovery then holds, besides the usual fields:
//     token_endpoint_auth_methods_supported: client_secret_basic client_secret_jwt
//       client_secret_post private_key_jwt none tls_client_auth self_signed_tls_client_auth
//     token_endpoint_auth_signing_alg_values_supported: HS256 RS256 PS256 ES256 Ed25519 EdDSA
//     grant_types_supported: implicit authorization_code refresh_token client_credentials
//     tls_client_certificate_bound_access_tokens: true
//     introspection_endpoint .../token/introspection, revocation_endpoint .../token/revocation
//     mtls_endpoint_aliases: {token_endpoint, introspection_endpoint,
//       revocation_endpoint, pushed_authorization_request_endpoint, userinfo_endpoint}
//       (device_authorization_endpoint too with deviceFlow)
//     (no introspection/revocation_endpoint_auth_methods_supported: 9.x omits them)
//   self_signed_tls_client_auth: POST /reg
//     {"token_endpoint_auth_method":"self_signed_tls_client_auth",
//      "grant_types":["client_credentials"],"response_types":[],"redirect_uris":[],
//      "tls_client_certificate_bound_access_tokens":true,
//      "jwks":{"keys":[{"kty":"EC","crv":"P-256","x":..,"y":..,"x5c":["<base64 DER of self.pem>"]}]}}
//     → 201; the provider adds "x5t#S256" (SHA-256 of x5c[0]) to each key in the
//     answer. Only x5c[0] counts: a key without x5c registers fine but can never
//     authenticate. No jwks at all → 400 invalid_client_metadata
//     "jwks or jwks_uri is mandatory for this client".
//     curl --cacert ca.pem --cert self.pem --key self.key https://127.0.0.1:P/token \
//       -d grant_type=client_credentials -d client_id=<id>
//     → 200 {"access_token":..,"expires_in":600,"token_type":"Bearer"}
//   tls_client_auth: POST /reg with "tls_client_auth_subject_dn":
//     "CN=client-one,OU=Clients,O=Registrar Tests,C=DE" (no jwks needed) and the
//     same curl with client.pem → 200. Registering none of the subject
//     parameters → 400 invalid_client_metadata "tls_client_auth requires one of
//     the certificate subject value parameters"; two of them → 400 "only one
//     tls_client_auth certificate subject value must be provided".
//   Introspection (any authenticated client, e.g. client_secret_basic) of such
//   a token: {"active":true,"client_id":..,"exp":..,"iat":..,"iss":..,
//     "cnf":{"x5t#S256":"<base64url SHA-256 of the client cert DER>"},"token_type":"Bearer"}
//   (= openssl x509 -outform der | openssl dgst -sha256 -binary | base64url).
//   Token endpoint failures: ALL answer 401
//     {"error":"invalid_client","error_description":"client authentication failed"}
//   (per the source, a WWW-Authenticate header too when Basic was sent); the
//   reason is only in the provider's error_detail, which logErrors prints:
//     no client certificate (either method)   "client certificate was not provided"
//     self-signed: cert not in jwks           "unregistered client certificate provided"
//     tls_client_auth: chain not verified     "client certificate was not verified"
//       by https.ca (e.g. a self-signed cert)
//     tls_client_auth: wrong subject DN       "certificate subject value does not match the registered one"
//   (A client_credentials token is no good at userinfo at all: 401 invalid_token,
//   detail "access token not found"; the provider's own check of a bound token,
//   "failed x5t#S256 verification", is only reachable with a user's token.)
//
// PRIVATE_KEY_JWT (key privateKeyJwt; the methods are in a stock provider too)
//   POST /reg {"token_endpoint_auth_method":"private_key_jwt",
//     "grant_types":["client_credentials"],"response_types":[],"redirect_uris":[],
//     "jwks":{"keys":[<public JWKs, kid optional>]}} or "jwks_uri":"http://127.0.0.1:N/jwks.json"
//   (http jwks_uri is allowed; 127.0.0.1 needs loopbackFetch, on with
//   privateKeyJwt; the set is cached at least 60 s, so an unknown kid does
//   not trigger a refetch within that time). Optional
//   "token_endpoint_auth_signing_alg":"ES256" pins the alg.
//   Errors at registration (400 invalid_client_metadata, error_description):
//     neither jwks nor jwks_uri    "jwks or jwks_uri is mandatory for this client"
//     both                         "jwks and jwks_uri must not be used at the same time"
//     a private key in jwks        "client JSON Web Key Set is invalid"
//   Token: POST /token grant_type=client_credentials
//     client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer
//     client_assertion=<JWS alg ES256|PS256|RS256|EdDSA|Ed25519, kid optional>
//       claims: iss = sub = client_id, aud, exp, jti (required), iat (optional)
//       aud accepted: the issuer, the token endpoint URL, or the URL the request
//       came to (an array works if one member matches). At the mTLS alias the
//       alias URL or the issuer work, NOT the main token endpoint URL.
//     → 200 {"access_token":..,"expires_in":600,"token_type":"Bearer"}
//   Failures: 401 {"error":"invalid_client","error_description":"client authentication failed"},
//   error_detail (logErrors):
//     signed by another key, same kid   "signature verification failed"
//     unknown kid                       "no applicable key found in the JSON Web Key Set"
//     exp 9 min in the past             "jwt expired" (clockTolerance: 15 s)
//     aud elsewhere                     "audience (aud) must equal the endpoint url, issuer identifier or token endpoint url"
//     no jti                            "unique jti (JWT ID) must be provided in the client_assertion JWT"
//     no exp                            "expiration must be specified in the client_assertion JWT"
//     iss != client_id                  "iss (JWT issuer) must be the client_id"
//     alg not allowed (e.g. HS256)      "alg mismatch"
//     unknown client (sub)              "client not found"
//     same assertion twice              "client assertion tokens must only be used once"
//     jwks_uri on 127.0.0.1 with loopbackFetch false
//                                       "invalid_client_metadata" (cause: client JSON
//                                       Web Key Set failed to be refreshed / fetch
//                                       failed / hostname resolves to a special-use IP address)
//   and without client_assertion_type: 400 {"error":"invalid_request",
//   "error_description":"client_assertion_type must be provided"}.
//
// RESOURCE INDICATORS (keys resourceServers, loopbackResources)
//   With either key set, an authorization request carrying
//   resource=<a matching URL> and scope="openid mcp:tools" (the resource's
//   scopes are added to the provider's scopes, so discovery's scopes_supported
//   lists them next to openid and offline_access) is consented by
//   devInteractions for that resource, and the code exchange (resource=<URL>
//   at the token endpoint, or none: useGrantedResource is then true, so the
//   one granted resource is used) answers a JWT access token (RFC 9068, header
//   typ "at+jwt", signed RS256 with a key of jwks_uri) with claims
//     iss = issuer, aud = the resource URL (or info.audience), sub, client_id,
//     scope = the granted scopes of that resource, space-separated ("mcp:tools";
//     openid is not among them: it goes to the ID token / userinfo), exp, iat, jti
//   and "scope" in the token response holds the same. A token for
//   scope="openid mcp:read" carries scope "mcp:read" only (what an MCP server
//   requiring mcp:tools answers 403 insufficient_scope). A resource no key
//   matches is refused at the authorization endpoint with a redirect carrying
//   error=invalid_target ("resource indicator is missing, or unknown"); a
//   requested scope neither the provider nor the resource lists is not refused
//   there.
//   Proven by tests/core/real_mcp_server.rs against tests/providers/mcp-server.
//
// CLIENT ID METADATA DOCUMENTS (key cimd)
//   client_id=https://127.0.0.1:N/client.json at the authorization endpoint
//   (no registration): the provider GETs that URL (Accept: application/json,
//   2.5 s timeout, redirects not followed, cached per Cache-Control between
//   cacheDuration min and max) and takes the JSON object as the client's
//   metadata; its "client_id" must equal the URL, token_endpoint_auth_method
//   must not be a client_secret_* one (use "none" or private_key_jwt), no
//   client_secret, and URL-valued fields such as client_uri / logo_uri /
//   jwks_uri must be https (a loopback http redirect_uri is accepted). Only
//   https client_ids without a fragment, userinfo or dot segments qualify;
//   anything else is looked up as an ordinary client_id. A document that
//   cannot be fetched or fails those checks: the provider's HTML error page,
//   400 invalid_client ("client_id metadata document fetch failed"; the cause,
//   e.g. UNABLE_TO_VERIFY_LEAF_SIGNATURE without caFile, shows with logErrors).
//
// WHERE oidc-provider IS LOADED FROM
//   tests/providers/install.sh installs the pinned packages into
//   <cache>/node-oidc/node_modules (default cache: target/real-providers) and
//   copies this file next to them. Either
//     node <cache>/node-oidc/server.mjs '<json>'
//   or, running the file straight from the repository,
//     NODE_OIDC_MODULES=<cache>/node-oidc node tests/providers/node-oidc/server.mjs '<json>'
//   NODE_OIDC_MODULES names the folder that holds node_modules/oidc-provider;
//   without it, ordinary resolution from this file's folder is used.
//
// State lives in memory only (the provider's built-in memory adapter); signing
// keys (RS256 + ES256) are generated at every start.

import { createRequire } from 'node:module';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

function fail(message) {
  process.stderr.write(`node-oidc server: ${message}\n`);
  process.exit(2);
}

// ---------------------------------------------------------------- options
const DEFAULTS = {
  port: 0,
  initialAccessToken: null,
  registrationManagement: true,
  rotateRegistrationAccessToken: true,
  clientCredentials: false,
  deviceFlow: false,
  introspection: false,
  revocation: false,
  resourceIndicators: true,
  mTLS: false,
  mtls: undefined,
  https: null,
  mtlsEndpointAliases: false,
  privateKeyJwt: false,
  loopbackFetch: null,
  resourceServers: {},
  loopbackResources: null,
  cimd: null,
  logErrors: false,
  devInteractions: true,
  discovery: 'both',
  staleJwks: 0,
  quiet: true,
  features: {},
  config: {},
  exitOnStdinClose: false,
};

function readOptions() {
  const raw = process.argv[2] ?? process.env.NODE_OIDC_CONFIG ?? '{}';
  let given;
  try {
    given = JSON.parse(raw);
  } catch (err) {
    fail(`configuration is not JSON: ${err.message}`);
  }
  if (given === null || typeof given !== 'object' || Array.isArray(given)) {
    fail('configuration must be a JSON object');
  }
  for (const key of Object.keys(given)) {
    if (!(key in DEFAULTS)) fail(`unknown configuration key ${JSON.stringify(key)}`);
  }
  if ('mtls' in given && 'mTLS' in given) fail('give mTLS or its alias mtls, not both');
  const opts = { ...DEFAULTS, ...given };
  if ('mtls' in given) opts.mTLS = given.mtls;
  delete opts.mtls;
  // privateKeyJwt turns clientCredentials on unless that key is given too.
  if (opts.privateKeyJwt === true && !('clientCredentials' in given)) opts.clientCredentials = true;
  const bools = ['registrationManagement', 'rotateRegistrationAccessToken', 'clientCredentials',
    'deviceFlow', 'introspection', 'revocation', 'resourceIndicators', 'devInteractions',
    'quiet', 'exitOnStdinClose', 'mtlsEndpointAliases', 'privateKeyJwt', 'logErrors'];
  for (const key of bools) {
    if (typeof opts[key] !== 'boolean') fail(`${key} must be true or false`);
  }
  if (!Number.isInteger(opts.staleJwks) || opts.staleJwks < 0) fail('staleJwks must be a whole number');
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) {
    fail('port must be an integer 0..65535');
  }
  if (opts.initialAccessToken !== null
      && (typeof opts.initialAccessToken !== 'string' || opts.initialAccessToken === '')) {
    fail('initialAccessToken must be null or a non-empty string');
  }
  if (!['both', 'oidc', 'oauth', 'none'].includes(opts.discovery)) {
    fail('discovery must be one of "both", "oidc", "oauth", "none"');
  }
  if (typeof opts.mTLS !== 'boolean' && !isObject(opts.mTLS)) fail('mTLS must be a boolean or an object');
  if (opts.cimd === false) opts.cimd = null;
  if (opts.cimd === true) opts.cimd = {};
  if (opts.cimd !== null) {
    if (!isObject(opts.cimd)) fail('cimd must be null, a boolean or an object');
    for (const key of Object.keys(opts.cimd)) {
      if (!['caFile', 'cacheDuration'].includes(key)) fail(`unknown cimd key ${JSON.stringify(key)}`);
    }
    if (opts.cimd.caFile !== undefined && (typeof opts.cimd.caFile !== 'string' || !opts.cimd.caFile)) {
      fail('cimd.caFile must be a file path');
    }
    const cd = opts.cimd.cacheDuration;
    if (cd !== undefined && !(isObject(cd) && Object.keys(cd).every((k) => ['min', 'max'].includes(k))
        && Object.values(cd).every((v) => Number.isInteger(v) && v >= 0))) {
      fail('cimd.cacheDuration must be {"min": seconds, "max": seconds}');
    }
  }
  if (opts.loopbackFetch === null) {
    opts.loopbackFetch = opts.privateKeyJwt || opts.mTLS !== false || opts.cimd !== null;
  }
  if (typeof opts.loopbackFetch !== 'boolean') fail('loopbackFetch must be true, false or null');
  if (opts.cimd?.caFile !== undefined && !opts.loopbackFetch) fail('cimd.caFile needs loopbackFetch');
  if (!isObject(opts.resourceServers)) fail('resourceServers must be an object');
  for (const [url, info] of Object.entries(opts.resourceServers)) checkResourceInfo(`resourceServers[${JSON.stringify(url)}]`, info);
  if (opts.loopbackResources !== null) checkResourceInfo('loopbackResources', opts.loopbackResources);
  if (opts.https !== null) {
    const h = opts.https;
    if (!isObject(h)) fail('https must be null or an object');
    for (const key of Object.keys(h)) {
      if (!['cert', 'key', 'ca', 'requestCert', 'hostname'].includes(key)) {
        fail(`unknown https key ${JSON.stringify(key)}`);
      }
    }
    if (typeof h.cert !== 'string' || typeof h.key !== 'string') fail('https.cert and https.key must be PEM strings');
    if (h.ca !== undefined && typeof h.ca !== 'string'
        && !(Array.isArray(h.ca) && h.ca.every((c) => typeof c === 'string'))) {
      fail('https.ca must be a PEM string or an array of them');
    }
    if (h.requestCert !== undefined && typeof h.requestCert !== 'boolean') fail('https.requestCert must be a boolean');
    if (h.hostname !== undefined && !['127.0.0.1', 'localhost'].includes(h.hostname)) {
      fail('https.hostname must be "127.0.0.1" or "localhost"');
    }
  }
  if (opts.mtlsEndpointAliases && opts.https === null) fail('mtlsEndpointAliases needs https');
  if (!isObject(opts.features)) fail('features must be an object');
  if (!isObject(opts.config)) fail('config must be an object');
  return opts;
}

const RESOURCE_INFO_KEYS = ['scope', 'accessTokenFormat', 'accessTokenTTL', 'audience'];

function checkResourceInfo(name, info) {
  if (!isObject(info)) fail(`${name} must be an object`);
  for (const key of Object.keys(info)) {
    if (!RESOURCE_INFO_KEYS.includes(key)) fail(`unknown ${name} key ${JSON.stringify(key)}`);
  }
  if (typeof info.scope !== 'string' || !info.scope.trim()) fail(`${name}.scope must be a non-empty string`);
  if (info.accessTokenFormat !== undefined && !['jwt', 'opaque'].includes(info.accessTokenFormat)) {
    fail(`${name}.accessTokenFormat must be "jwt" or "opaque"`);
  }
  if (info.accessTokenTTL !== undefined && !(Number.isInteger(info.accessTokenTTL) && info.accessTokenTTL > 0)) {
    fail(`${name}.accessTokenTTL must be a positive whole number`);
  }
  if (info.audience !== undefined && typeof info.audience !== 'string') fail(`${name}.audience must be a string`);
}

// The resource server info for an RFC 8707 resource indicator, or undefined.
function resourceInfo(opts, indicator) {
  let info = Object.hasOwn(opts.resourceServers, indicator) ? opts.resourceServers[indicator] : undefined;
  if (info === undefined && opts.loopbackResources !== null) {
    const url = URL.parse(indicator);
    if (url && ['http:', 'https:'].includes(url.protocol) && url.port
        && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
      info = opts.loopbackResources;
    }
  }
  if (info === undefined) return undefined;
  return { accessTokenFormat: 'jwt', ...info };
}

// The undici Agent class behind node's fetch (the same one oidc-provider
// builds its SSRF-guarded dispatcher from; node 20 exposes no undici module).
function undiciAgent() {
  // eslint-disable-next-line no-unused-expressions
  Response; // loads node's undici, which registers its global dispatcher
  const Agent = (globalThis[Symbol.for('undici.globalDispatcher.2')]
    ?? globalThis[Symbol.for('undici.globalDispatcher.1')])?.constructor;
  if (typeof Agent !== 'function') fail('cannot find node\'s undici Agent for cimd.caFile');
  return Agent;
}

function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function deepMerge(target, source) {
  for (const [key, value] of Object.entries(source)) {
    if (isObject(value) && isObject(target[key])) deepMerge(target[key], value);
    else target[key] = value;
  }
  return target;
}

// ------------------------------------------------------------ quiet notices
// oidc-provider prints notices with console.info (stdout) and warnings with
// console.warn (stderr). stdout is reserved for the single ready line, so
// console.log/info go to stderr; the known development-only notices are dropped
// when `quiet`.
const DEV_NOTICES = [
  'a quick start development-only in-memory adapter is used',
  'a quick start development-only feature devInteractions is enabled',
];

function routeConsole(quiet) {
  const toStderr = (...args) => {
    const text = args.map((a) => (typeof a === 'string' ? a : String(a))).join(' ');
    if (quiet && DEV_NOTICES.some((n) => text.includes(n))) return;
    process.stderr.write(`${text}\n`);
  };
  console.log = toStderr;
  console.info = toStderr;
  console.warn = toStderr;
  console.debug = toStderr;
}

// ------------------------------------------------------------ load library
async function loadProvider() {
  const base = process.env.NODE_OIDC_MODULES
    ? path.resolve(process.env.NODE_OIDC_MODULES)
    : path.dirname(new URL(import.meta.url).pathname);
  const require = createRequire(path.join(base, 'noop.js'));
  let entry;
  try {
    entry = require.resolve('oidc-provider');
  } catch {
    fail(`cannot find oidc-provider from ${base}; run tests/providers/install.sh `
      + 'and run the copied server.mjs, or set NODE_OIDC_MODULES to <cache>/node-oidc');
  }
  const mod = await import(pathToFileURL(entry).href);
  return { Provider: mod.default, errors: mod.errors };
}

// ------------------------------------------------------------------ keys
function signingKeys() {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    keys: [
      { ...rsa.privateKey.export({ format: 'jwk' }), kid: 'rs256-1', alg: 'RS256', use: 'sig' },
      { ...ec.privateKey.export({ format: 'jwk' }), kid: 'es256-1', alg: 'ES256', use: 'sig' },
    ],
  };
}

// ------------------------------------------------------ client certificates
// features.mTLS asks its host for three functions (oidc-provider has none of
// its own: its defaults throw "features.mTLS.getCertificate function not
// configured"). The peer certificate comes straight from the TLS socket of
// this process's https server.

// getCertificate: the client certificate of this request as a node:crypto
// X509Certificate (oidc-provider 9.x accepts that or a PEM string; it hashes
// .raw for x5t#S256), or undefined when none was presented / plain HTTP.
function getCertificate(ctx) {
  const socket = ctx.socket ?? ctx.req?.socket;
  if (typeof socket?.getPeerX509Certificate !== 'function') return undefined;
  return socket.getPeerX509Certificate() ?? undefined;
}

// certificateAuthorized (tls_client_auth only): the chain verified against
// https.ca during the handshake (the server uses rejectUnauthorized: false, so
// an unverified certificate still arrives and the provider decides).
function certificateAuthorized(ctx) {
  const socket = ctx.socket ?? ctx.req?.socket;
  return socket?.authorized === true;
}

// Minimal DER reader: enough to take the subject Name out of a certificate.
function derAt(buf, pos) {
  const tag = buf[pos];
  let len = buf[pos + 1];
  let start = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i += 1) len = len * 256 + buf[start + i];
    start += n;
  }
  return { tag, start, end: start + len };
}

function derChildren(buf, node) {
  const out = [];
  for (let p = node.start; p < node.end;) {
    const child = derAt(buf, p);
    out.push(child);
    p = child.end;
  }
  return out;
}

function decodeOid(bytes) {
  const parts = [Math.floor(bytes[0] / 40), bytes[0] % 40];
  let value = 0;
  for (let i = 1; i < bytes.length; i += 1) {
    value = value * 128 + (bytes[i] & 0x7f);
    if (!(bytes[i] & 0x80)) {
      parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

function decodeDirectoryString(tag, bytes) {
  switch (tag) {
    case 0x0c: return Buffer.from(bytes).toString('utf8'); // UTF8String
    case 0x1e: return Buffer.from(bytes).swap16().toString('utf16le'); // BMPString
    case 0x1c: { // UniversalString (UTF-32BE)
      let out = '';
      for (let i = 0; i + 3 < bytes.length; i += 4) out += String.fromCodePoint(Buffer.from(bytes).readUInt32BE(i));
      return out;
    }
    default: return Buffer.from(bytes).toString('latin1'); // Printable, IA5, T61, Visible...
  }
}

// The certificate's subject as RDNs in DER order (most significant first,
// e.g. C, O, OU, CN), each RDN a list of {oid, value}.
function subjectRdns(raw) {
  const tbs = derChildren(raw, derAt(raw, 0))[0];
  const fields = derChildren(raw, tbs);
  const first = fields[0].tag === 0xa0 ? 1 : 0; // [0] version present
  const subject = fields[first + 4]; // serial, signature, issuer, validity, subject
  return derChildren(raw, subject).map((set) => derChildren(raw, set).map((atv) => {
    const [oid, value] = derChildren(raw, atv);
    return {
      oid: decodeOid(raw.subarray(oid.start, oid.end)),
      value: decodeDirectoryString(value.tag, raw.subarray(value.start, value.end)),
    };
  }));
}

// Attribute type names accepted in a registered DN (case-insensitive): the
// RFC 4514 §3 table plus the ones OpenSSL prints; a dotted OID works too.
const DN_NAMES = {
  cn: '2.5.4.3', sn: '2.5.4.4', serialnumber: '2.5.4.5', c: '2.5.4.6', l: '2.5.4.7',
  st: '2.5.4.8', street: '2.5.4.9', o: '2.5.4.10', ou: '2.5.4.11', title: '2.5.4.12',
  postalcode: '2.5.4.17', gn: '2.5.4.42', givenname: '2.5.4.42',
  organizationidentifier: '2.5.4.97',
  dc: '0.9.2342.19200300.100.1.25', uid: '0.9.2342.19200300.100.1.1',
  emailaddress: '1.2.840.113549.1.9.1', email: '1.2.840.113549.1.9.1', e: '1.2.840.113549.1.9.1',
};
const DN_SHORT = {
  '2.5.4.3': 'CN', '2.5.4.7': 'L', '2.5.4.8': 'ST', '2.5.4.10': 'O', '2.5.4.11': 'OU',
  '2.5.4.6': 'C', '2.5.4.9': 'STREET', '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
};

// Splits on an unescaped separator character.
function splitUnescaped(text, separators) {
  const out = [];
  let cur = '';
  for (let i = 0; i < text.length; i += 1) {
    if (text[i] === '\\' && i + 1 < text.length) {
      cur += text[i] + text[i + 1];
      i += 1;
    } else if (separators.includes(text[i])) {
      out.push(cur);
      cur = '';
    } else {
      cur += text[i];
    }
  }
  out.push(cur);
  return out;
}

// RFC 4514 value: \<special>, \<hex><hex> (UTF-8 bytes), or #<hex BER>.
function unescapeDnValue(text) {
  const v = text.trim();
  if (/^#([0-9a-fA-F]{2})+$/.test(v)) {
    const ber = Buffer.from(v.slice(1), 'hex');
    const node = derAt(ber, 0);
    return decodeDirectoryString(node.tag, ber.subarray(node.start, node.end));
  }
  const bytes = [];
  for (let i = 0; i < v.length; i += 1) {
    if (v[i] === '\\' && /^[0-9a-fA-F]{2}$/.test(v.slice(i + 1, i + 3))) {
      bytes.push(parseInt(v.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (v[i] === '\\' && i + 1 < v.length) {
      bytes.push(...Buffer.from(v[i + 1], 'utf8'));
      i += 1;
    } else {
      bytes.push(...Buffer.from(v[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

// A registered DN string → RDNs in DER order, or null when unparseable.
//   RFC 4514 (the form RFC 8705 names): "CN=client-one,OU=Clients,O=Registrar Tests,C=DE"
//     (least significant RDN first; spaces after "," / "+" tolerated)
//   OpenSSL's legacy slash form, most significant first: "/C=DE/O=Registrar Tests/OU=Clients/CN=client-one"
function parseDn(text) {
  if (typeof text !== 'string' || !text.trim()) return null;
  const slash = text.trim().startsWith('/');
  let rdnTexts = slash ? splitUnescaped(text.trim().slice(1), ['/']) : splitUnescaped(text, [',']);
  if (!slash) rdnTexts = rdnTexts.reverse();
  const rdns = [];
  for (const rdnText of rdnTexts) {
    const rdn = [];
    for (const atv of splitUnescaped(rdnText, ['+'])) {
      const eq = atv.indexOf('=');
      if (eq <= 0) return null;
      const type = atv.slice(0, eq).trim();
      const oid = /^\d+(\.\d+)+$/.test(type) ? type : DN_NAMES[type.toLowerCase()];
      if (!oid) return null;
      rdn.push({ oid, value: unescapeDnValue(atv.slice(eq + 1)) });
    }
    rdns.push(rdn);
  }
  return rdns;
}

function escapeDnValue(value) {
  let out = value.replace(/[\\,+"<>;=]/g, (c) => `\\${c}`);
  out = out.replace(/^([ #])/, '\\$1').replace(/ $/, '\\ ');
  return out;
}

// The RFC 4514 string of a certificate's subject (for logs and errors).
function rfc4514Subject(x509) {
  return subjectRdns(x509.raw).slice().reverse()
    .map((rdn) => rdn.map(({ oid, value }) => `${DN_SHORT[oid] ?? oid}=${escapeDnValue(value)}`).join('+'))
    .join(',');
}

function sameRdns(a, b) {
  if (a.length !== b.length) return false;
  return a.every((rdn, i) => {
    const key = (x) => x.map(({ oid, value }) => `${oid}\u0000${value}`).sort().join('\u0001');
    return key(rdn) === key(b[i]);
  });
}

// certificateSubjectMatches(ctx, property, expected) for RFC 8705 §2.1.2:
//   tls_client_auth_subject_dn: the peer certificate's subject equals the
//     registered DN (parseDn above): same RDNs in the same order, attribute
//     types compared by OID, values compared exactly (case-sensitive) after
//     unescaping, multi-valued RDNs in any order.
//   tls_client_auth_san_dns / _san_ip / _san_email: node's X509Certificate
//     checkHost / checkIP / checkEmail against the subjectAltName only.
//   tls_client_auth_san_uri: one URI: entry of subjectAltName equals it.
function certificateSubjectMatches(ctx, property, expected) {
  const cert = getCertificate(ctx);
  if (!cert) return false;
  switch (property) {
    case 'tls_client_auth_subject_dn': {
      const want = parseDn(expected);
      return want !== null && sameRdns(subjectRdns(cert.raw), want);
    }
    case 'tls_client_auth_san_dns':
      return cert.checkHost(expected, { subject: 'never', wildcards: false }) !== undefined;
    case 'tls_client_auth_san_ip':
      return cert.checkIP(expected) !== undefined;
    case 'tls_client_auth_san_email':
      return cert.checkEmail(expected, { subject: 'never' }) !== undefined;
    case 'tls_client_auth_san_uri':
      return (cert.subjectAltName ?? '').split(/,\s*/).some((entry) => entry === `URI:${expected}`);
    default:
      return false;
  }
}

// ---------------------------------------------------------- configuration
function providerConfiguration(opts, InvalidTarget) {
  let caDispatcher = null;
  if (opts.cimd?.caFile !== undefined) {
    let pem;
    try {
      pem = readFileSync(opts.cimd.caFile, 'utf8');
    } catch (err) {
      fail(`cimd.caFile: ${err.message}`);
    }
    const Agent = undiciAgent();
    caDispatcher = new Agent({ connect: { ca: [...rootCertificates, pem] } });
  }
  const hostFunctions = { getCertificate, certificateAuthorized, certificateSubjectMatches };
  const mTLS = opts.mTLS === true
    ? {
      enabled: true,
      tlsClientAuth: true,
      selfSignedTlsClientAuth: true,
      certificateBoundAccessTokens: true,
      ...hostFunctions,
    }
    : opts.mTLS === false
      ? { enabled: false, ...hostFunctions }
      : { enabled: true, ...hostFunctions, ...opts.mTLS };

  const features = {
    devInteractions: { enabled: opts.devInteractions },
    registration: {
      enabled: true,
      initialAccessToken: opts.initialAccessToken === null ? false : opts.initialAccessToken,
    },
    registrationManagement: {
      enabled: opts.registrationManagement,
      rotateRegistrationAccessToken: opts.rotateRegistrationAccessToken,
    },
    clientCredentials: { enabled: opts.clientCredentials },
    deviceFlow: { enabled: opts.deviceFlow },
    introspection: { enabled: opts.introspection },
    revocation: { enabled: opts.revocation },
    resourceIndicators: { enabled: opts.resourceIndicators },
    mTLS,
  };
  const resources = Object.keys(opts.resourceServers).length > 0 || opts.loopbackResources !== null;
  if (resources) {
    features.resourceIndicators = {
      ...features.resourceIndicators,
      getResourceServerInfo: async (ctx, indicator) => {
        const info = resourceInfo(opts, indicator);
        if (info === undefined) throw new InvalidTarget();
        return info;
      },
      // No resource at the token endpoint: the one resource of the grant.
      useGrantedResource: async () => true,
    };
  }
  if (opts.cimd !== null) {
    features.clientIdMetadataDocument = {
      enabled: true,
      ack: 'draft-02',
      ...(opts.cimd.cacheDuration ? { cacheDuration: { min: 30, max: 86400, ...opts.cimd.cacheDuration } } : {}),
    };
  }
  deepMerge(features, opts.features);

  const configuration = {
    jwks: signingKeys(),
    ...(resources ? {
      // The provider's default scopes and every resource's.
      scopes: [...new Set(['openid', 'offline_access',
        ...[...Object.values(opts.resourceServers), ...(opts.loopbackResources ? [opts.loopbackResources] : [])]
          .flatMap((info) => info.scope.split(' ').filter(Boolean))])],
    } : {}),
    ...(mTLS.enabled && (mTLS.tlsClientAuth || mTLS.selfSignedTlsClientAuth) ? {
      clientAuthMethods: [
        'client_secret_basic', 'client_secret_jwt', 'client_secret_post', 'private_key_jwt', 'none',
        ...(mTLS.tlsClientAuth ? ['tls_client_auth'] : []),
        ...(mTLS.selfSignedTlsClientAuth ? ['self_signed_tls_client_auth'] : []),
      ],
    } : {}),
    ...(opts.privateKeyJwt ? {
      // The provider's defaults, written out so that a test can rely on them.
      enabledJWA: {
        clientAuthSigningAlgValues: ['HS256', 'RS256', 'PS256', 'ES256', 'Ed25519', 'EdDSA'],
      },
    } : {}),
    ...(opts.loopbackFetch ? {
      // oidc-provider hands fetch() an undici dispatcher that destroys any
      // connection to a special-use address (127.0.0.0/8, ::1, RFC 1918...),
      // failing a jwks_uri on 127.0.0.1 with "client JSON Web Key Set failed to
      // be refreshed". Without the dispatcher node's own fetch is used as is
      // (http: is allowed for jwks_uri; https: needs a publicly trusted cert),
      // or, with cimd.caFile, an Agent that trusts that CA and the bundled roots.
      fetch: (url, options) => {
        const { dispatcher, ...rest } = options;
        return globalThis.fetch(url, caDispatcher ? { ...rest, dispatcher: caDispatcher } : rest);
      },
    } : {}),
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    features,
  };
  deepMerge(configuration, opts.config);
  return configuration;
}

// ------------------------------------------------------------------ main
let server;
let aliasServer;

function shutdown() {
  const servers = [server, aliasServer].filter((srv) => srv?.listening);
  if (!servers.length) process.exit(0);
  let open = servers.length;
  for (const srv of servers) {
    srv.close(() => {
      open -= 1;
      if (!open) process.exit(0);
    });
    srv.closeAllConnections();
  }
  setTimeout(() => process.exit(0), 2000).unref();
}

function makeServer(tls, requestCert) {
  if (!tls) return createServer();
  return createHttpsServer({
    cert: tls.cert,
    key: tls.key,
    ...(tls.ca !== undefined ? { ca: tls.ca } : {}),
    requestCert,
    rejectUnauthorized: false, // the provider decides (certificateAuthorized)
  });
}

async function listen(srv, port) {
  srv.on('error', (err) => fail(`listen: ${err.message}`));
  await new Promise((resolve) => srv.listen(port, '127.0.0.1', resolve));
  return srv.address().port;
}

async function main() {
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  const opts = readOptions();
  routeConsole(opts.quiet);
  const { Provider, errors } = await loadProvider();

  // Listen first so that port 0 resolves to the real port, which the issuer
  // must carry; the provider is mounted on this same server afterwards.
  const tls = opts.https;
  server = makeServer(tls, tls ? tls.requestCert !== false : false);
  const port = await listen(server, opts.port);
  const scheme = tls ? 'https' : 'http';
  const host = tls?.hostname ?? '127.0.0.1';
  const issuer = `${scheme}://${host}:${port}`;
  let mtlsPort = null;
  if (opts.mtlsEndpointAliases) {
    aliasServer = makeServer(tls, true);
    mtlsPort = await listen(aliasServer, 0);
  }

  const configuration = providerConfiguration(opts, errors.InvalidTarget);
  const regPath = configuration.routes?.registration ?? '/reg';
  let aliases = null;
  if (mtlsPort !== null) {
    // RFC 8705 §5: the endpoints a client authenticates at, on the listener
    // that requests certificates. oidc-provider 9.x publishes no
    // mtls_endpoint_aliases of its own; configuration.discovery adds them.
    const route = (name, dflt) => configuration.routes?.[name] ?? dflt;
    const origin = `${scheme}://${host}:${mtlsPort}`;
    const f = configuration.features;
    aliases = {
      token_endpoint: `${origin}${route('token', '/token')}`,
      ...(f.introspection.enabled ? { introspection_endpoint: `${origin}${route('introspection', '/token/introspection')}` } : {}),
      ...(f.revocation.enabled ? { revocation_endpoint: `${origin}${route('revocation', '/token/revocation')}` } : {}),
      ...(f.deviceFlow.enabled ? { device_authorization_endpoint: `${origin}${route('device_authorization', '/device/auth')}` } : {}),
      pushed_authorization_request_endpoint: `${origin}${route('pushed_authorization_request', '/request')}`,
      userinfo_endpoint: `${origin}${route('userinfo', '/me')}`,
    };
    configuration.discovery = { ...configuration.discovery, mtls_endpoint_aliases: aliases };
  }
  const provider = new Provider(issuer, configuration);
  provider.on('server_error', (ctx, err) => {
    process.stderr.write(`node-oidc server_error: ${err?.stack ?? err}\n`);
  });
  if (opts.logErrors) {
    const events = ['grant.error', 'introspection.error', 'revocation.error', 'userinfo.error',
      'registration_create.error', 'registration_read.error', 'registration_update.error',
      'registration_delete.error', 'authorization.error', 'device_authorization.error',
      'pushed_authorization_request.error', 'discovery.error', 'jwks.error'];
    for (const event of events) {
      provider.on(event, (ctx, err) => {
        let cause = '';
        for (let c = err?.cause, depth = 0; c && depth < 4; c = c.cause, depth += 1) {
          cause += ` cause=${c.code ? `${c.code}: ` : ''}${c.error_description ?? c.message ?? c}`;
        }
        process.stderr.write(`node-oidc error: ${event} ${err?.error ?? err?.name} (${err?.error_description ?? err?.message}) detail=${err?.error_detail ?? ''}${cause}\n`);
      });
    }
  }
  const callback = provider.callback();
  const OIDC_DISCOVERY = '/.well-known/openid-configuration';
  const OAUTH_DISCOVERY = '/.well-known/oauth-authorization-server';
  const hidden = [];
  if (opts.discovery === 'oauth' || opts.discovery === 'none') hidden.push(OIDC_DISCOVERY);
  if (opts.discovery === 'oidc' || opts.discovery === 'none') hidden.push(OAUTH_DISCOVERY);
  // The JWK Set from before a rotation: a public key the provider no longer signs with.
  let staleLeft = opts.staleJwks;
  const oldKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' });
  const staleSet = JSON.stringify({ keys: [{ ...oldKey, kid: 'rs256-0', alg: 'RS256', use: 'sig' }] });
  const jwksPath = configuration.routes?.jwks ?? '/jwks';
  const handle = (req, res) => {
    const pathname = req.url.split('?', 1)[0];
    if (pathname === jwksPath && req.method === 'GET' && staleLeft > 0) {
      staleLeft -= 1;
      res.writeHead(200, { 'content-type': 'application/jwk-set+json; charset=utf-8' });
      res.end(staleSet);
      return;
    }
    if (hidden.includes(pathname)) {
      // Let the provider answer its own 404 for an unknown route.
      req.url = '/.well-known/hidden-by-test-server';
    }
    callback(req, res);
  };
  server.on('request', handle);
  aliasServer?.on('request', handle);

  if (opts.exitOnStdinClose) {
    process.stdin.on('end', shutdown);
    process.stdin.on('close', shutdown);
    process.stdin.resume();
  }

  const ready = {
    ready: true,
    port,
    issuer,
    registration_endpoint: `${issuer}${regPath}`,
    discovery: {
      both: `${issuer}${OIDC_DISCOVERY}`,
      oidc: `${issuer}${OIDC_DISCOVERY}`,
      oauth: `${issuer}${OAUTH_DISCOVERY}`,
      none: null,
    }[opts.discovery],
    ...(mtlsPort !== null ? { mtls_port: mtlsPort, mtls_endpoint_aliases: aliases } : {}),
  };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
}

main().catch((err) => {
  process.stderr.write(`node-oidc server: ${err?.stack ?? err}\n`);
  process.exit(1);
});
