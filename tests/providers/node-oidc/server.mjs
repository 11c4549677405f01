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
//                                                    to clientAuthMethods (plain
//                                                    HTTP: no certificate ever
//                                                    arrives, so this only changes
//                                                    metadata/registration); an
//                                                    object = merged into
//                                                    features.mTLS as given
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
//   one with discovery "oauth", null with "none").
//   Everything else (provider notices, errors) goes to stderr. A bad
//   configuration or a failure to start exits non-zero with the reason on stderr.
//   SIGTERM / SIGINT close the server and exit 0.
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
  const opts = { ...DEFAULTS, ...given };
  const bools = ['registrationManagement', 'rotateRegistrationAccessToken', 'clientCredentials',
    'deviceFlow', 'introspection', 'revocation', 'resourceIndicators', 'devInteractions',
    'quiet', 'exitOnStdinClose'];
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
  if (!isObject(opts.features)) fail('features must be an object');
  if (!isObject(opts.config)) fail('config must be an object');
  return opts;
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
  return mod.default;
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

// ---------------------------------------------------------- configuration
function providerConfiguration(opts) {
  const mTLS = opts.mTLS === true
    ? {
      enabled: true,
      tlsClientAuth: true,
      selfSignedTlsClientAuth: true,
      certificateBoundAccessTokens: true,
    }
    : opts.mTLS === false ? { enabled: false } : { enabled: true, ...opts.mTLS };

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
  deepMerge(features, opts.features);

  const configuration = {
    jwks: signingKeys(),
    ...(mTLS.enabled && (mTLS.tlsClientAuth || mTLS.selfSignedTlsClientAuth) ? {
      clientAuthMethods: [
        'client_secret_basic', 'client_secret_jwt', 'client_secret_post', 'private_key_jwt', 'none',
        ...(mTLS.tlsClientAuth ? ['tls_client_auth'] : []),
        ...(mTLS.selfSignedTlsClientAuth ? ['self_signed_tls_client_auth'] : []),
      ],
    } : {}),
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    features,
  };
  deepMerge(configuration, opts.config);
  return configuration;
}

// ------------------------------------------------------------------ main
let server;

function shutdown() {
  if (!server?.listening) process.exit(0);
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
}

async function main() {
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  const opts = readOptions();
  routeConsole(opts.quiet);
  const Provider = await loadProvider();

  // Listen first so that port 0 resolves to the real port, which the issuer
  // must carry; the provider is mounted on this same server afterwards.
  server = createServer();
  server.on('error', (err) => fail(`listen: ${err.message}`));
  await new Promise((resolve) => server.listen(opts.port, '127.0.0.1', resolve));
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;

  const configuration = providerConfiguration(opts);
  const regPath = configuration.routes?.registration ?? '/reg';
  const provider = new Provider(issuer, configuration);
  provider.on('server_error', (ctx, err) => {
    process.stderr.write(`node-oidc server_error: ${err?.stack ?? err}\n`);
  });
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
  server.on('request', (req, res) => {
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
  });

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
  };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
}

main().catch((err) => {
  process.stderr.write(`node-oidc server: ${err?.stack ?? err}\n`);
  process.exit(1);
});
