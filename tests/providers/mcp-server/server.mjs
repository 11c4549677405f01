#!/usr/bin/env node
// A real Model Context Protocol server, built with the official MCP TypeScript
// SDK (@modelcontextprotocol/sdk, pinned in package.json), whose authorization
// is a real OAuth authorization server: node-oidc-provider as started by
// tests/providers/node-oidc/server.mjs with resourceServers or
// loopbackResources. For the Registrar integration tests: discover from the
// MCP server's URL, register at the authorization server, get a token, connect.
//
// USAGE
//   node server.mjs ['<json>']
//
//   Configuration is ONE JSON object, taken from the first command-line
//   argument, or else from the environment variable MCP_SERVER_CONFIG. Unknown
//   keys are an error. Keys:
//
//     issuer                string   (required) the authorization server's issuer
//                                    URL, e.g. "http://127.0.0.1:N" (node-oidc's
//                                    ready line). Its discovery document
//                                    (/.well-known/openid-configuration, else
//                                    /.well-known/oauth-authorization-server) is
//                                    read at the first token check for jwks_uri
//     port                  number   0          0 = pick a free port
//     path                  string   "/mcp"     where MCP (Streamable HTTP) answers
//     requiredScopes        [string] ["mcp:tools"] every one must be in the token's
//                                    scope claim, else 403 insufficient_scope
//     scopesSupported       [string] = requiredScopes  the metadata's scopes_supported
//     resource              string   = url      the resource identifier: what the
//                                    metadata calls this server AND the audience a
//                                    token must carry. Default the server's own URL
//                                    http://127.0.0.1:<port><path>; any other
//                                    absolute URL reproduces the "wrong resource in
//                                    the metadata" misconfiguration (a client that
//                                    checks it, as RFC 9728 §3.3 and the MCP
//                                    authorization spec require, must stop there)
//     authorizationServers  [string] [issuer]   the metadata's authorization_servers
//     metadataRouter        string   "handler"  how RFC 9728 metadata is served:
//                                    "handler" = the SDK's metadataHandler with this
//                                      file's document, always at
//                                      /.well-known/oauth-protected-resource<path>
//                                      (path insertion, RFC 9728 §3.1), with
//                                      bearer_methods_supported ["header"]
//                                    "sdk" = the SDK's mcpAuthMetadataRouter as its
//                                      docs show it, fed with the authorization
//                                      server's metadata (fetched at start): see
//                                      WHAT THE SDK DOES below. authorizationServers
//                                      cannot be given with it
//     jsonResponse          bool     false      answer POSTs with one
//                                    application/json body instead of a
//                                    text/event-stream (the SDK's
//                                    enableJsonResponse)
//     exitOnStdinClose      bool     false      exit 0 when stdin reaches EOF
//                                    (do not use with stdin=/dev/null)
//
// OUTPUT
//   Once listening, exactly one line on stdout, then nothing else on stdout:
//     {"ready":true,"port":12345,"url":"http://127.0.0.1:12345/mcp",
//      "metadata_url":"http://127.0.0.1:12345/.well-known/oauth-protected-resource/mcp",
//      "resource":"http://127.0.0.1:12345/mcp","issuer":"http://127.0.0.1:N"}
//   ("resource" is what the metadata says, the override when given). Everything
//   else goes to stderr. A bad configuration or a failure to start exits
//   non-zero with the reason on stderr. SIGTERM / SIGINT close and exit 0.
//
// WHAT IT SERVES (listening on 127.0.0.1 only; the SDK's createMcpExpressApp
// answers 403 to a Host header other than 127.0.0.1 / localhost / [::1])
//   POST <path>   MCP over Streamable HTTP, stateless (a new McpServer and
//                 transport per request, no Mcp-Session-Id). initialize answers
//                 serverInfo {"name":"registrar-test-mcp","version":"1.0.0"} and
//                 capabilities {"tools":{"listChanged":true}}; one tool, "echo"
//                 ({"text": string} → the same text). The client must send
//                 Accept: application/json, text/event-stream (else 406) and
//                 Content-Type: application/json. The answer is an SSE stream
//                 ("event: message" + "data: <JSON-RPC>") unless jsonResponse.
//   GET/DELETE <path>  405 (no standalone stream, no sessions), after the token check.
//   GET /.well-known/oauth-protected-resource<path>   RFC 9728 metadata (no token):
//                 {"resource": <resource>, "authorization_servers": [<issuer>],
//                  "scopes_supported": ["mcp:tools"], "bearer_methods_supported": ["header"],
//                  "resource_name": "registrar-test-mcp"}
//   Token check on every <path> request: the SDK's requireBearerAuth with a
//   verifier that checks the access token as a JWT with jose against the
//   issuer's jwks_uri: signature, iss = issuer, aud contains <resource>, exp;
//   scope claim (space-separated string, as node-oidc's RFC 9068 tokens carry
//   it, or an array) becomes the scopes.
//     no / bad / expired / other-audience token → 401 {"error":"invalid_token",...}
//       WWW-Authenticate: Bearer error="invalid_token", error_description="...",
//         scope="mcp:tools", resource_metadata="<metadata_url>"
//     valid token without every requiredScopes → 403 {"error":"insufficient_scope",...}
//       WWW-Authenticate: Bearer error="insufficient_scope", error_description="Insufficient scope",
//         scope="mcp:tools", resource_metadata="<metadata_url>"
//     the JWK Set or discovery unreachable → 500 {"error":"server_error",...}
//
// WHAT THE SDK DOES (1.32.2), where it bends the RFCs
//   - requireBearerAuth answers a request with no Authorization header at all
//     with error="invalid_token" and an error_description; RFC 6750 §3.1 says
//     such a request SHOULD get no error code (a bare challenge).
//   - requireBearerAuth puts the required scope= on every 401 too, not only on
//     insufficient_scope (harmless, and MCP clients use it to pick a scope).
//   - its own expectedResource check compares the token's resource to the
//     expected one ignoring a fragment and ONE trailing slash (".../mcp/" is
//     ".../mcp"); this file's jose audience check is exact.
//   - mcpAuthMetadataRouter (metadataRouter "sdk"): "resource" is the WHATWG
//     serialisation of the URL given (so a bare origin gets a trailing "/"),
//     the metadata is served at a path derived from that resource (so a
//     resource on another path moves the document too), authorization_servers
//     is always the one issuer, bearer_methods_supported is left out, and the
//     router also serves the authorization server's metadata document at THIS
//     server's /.well-known/oauth-authorization-server — an RFC 8414 document
//     whose "issuer" is not this origin. It refuses an http issuer unless it is
//     localhost / 127.0.0.1 (or MCP_DANGEROUSLY_ALLOW_INSECURE_ISSUER_URL).
//   - the metadata answers carry Access-Control-Allow-Origin: * (cors()) and
//     405 for methods other than GET/OPTIONS.
//
// WHERE THE SDK IS LOADED FROM
//   tests/providers/install.sh installs the pinned packages into
//   <cache>/mcp-server/node_modules (default cache: target/real-providers) and
//   copies this file next to them; run that copy:
//     node <cache>/mcp-server/server.mjs '{"issuer":"http://127.0.0.1:N"}'

import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import { metadataHandler } from '@modelcontextprotocol/sdk/server/auth/handlers/metadata.js';
import {
  mcpAuthMetadataRouter,
  getOAuthProtectedResourceMetadataUrl,
} from '@modelcontextprotocol/sdk/server/auth/router.js';
import { InvalidTokenError, ServerError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import { createRemoteJWKSet, jwtVerify, errors as joseErrors } from 'jose';
import { z } from 'zod';

const SERVER_NAME = 'registrar-test-mcp';
const SERVER_VERSION = '1.0.0';

function fail(message) {
  process.stderr.write(`mcp server: ${message}\n`);
  process.exit(2);
}

// ---------------------------------------------------------------- options
const DEFAULTS = {
  issuer: undefined,
  port: 0,
  path: '/mcp',
  requiredScopes: ['mcp:tools'],
  scopesSupported: undefined,
  resource: undefined,
  authorizationServers: undefined,
  metadataRouter: 'handler',
  jsonResponse: false,
  exitOnStdinClose: false,
};

function isStringList(v) {
  return Array.isArray(v) && v.every((s) => typeof s === 'string' && s.length > 0);
}

function absoluteUrl(v) {
  return typeof v === 'string' && URL.canParse(v);
}

function readOptions() {
  const raw = process.argv[2] ?? process.env.MCP_SERVER_CONFIG;
  if (raw === undefined) fail('give the configuration (at least {"issuer": ...}) as the first argument');
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
  if (!absoluteUrl(opts.issuer)) fail('issuer (required) must be an absolute URL');
  opts.issuer = opts.issuer.replace(/\/$/, '');
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) fail('port must be an integer 0..65535');
  if (typeof opts.path !== 'string' || !/^\/[A-Za-z0-9._~\-/]*$/.test(opts.path) || opts.path.startsWith('/.well-known')) {
    fail('path must be an absolute path such as "/mcp"');
  }
  if (!isStringList(opts.requiredScopes)) fail('requiredScopes must be a list of scope strings');
  if (opts.scopesSupported === undefined) opts.scopesSupported = opts.requiredScopes;
  if (!isStringList(opts.scopesSupported)) fail('scopesSupported must be a list of scope strings');
  if (opts.resource !== undefined && !absoluteUrl(opts.resource)) fail('resource must be an absolute URL');
  if (!['handler', 'sdk'].includes(opts.metadataRouter)) fail('metadataRouter must be "handler" or "sdk"');
  if (opts.authorizationServers !== undefined) {
    if (opts.metadataRouter === 'sdk') fail('authorizationServers cannot be given with metadataRouter "sdk"');
    if (!isStringList(opts.authorizationServers)) fail('authorizationServers must be a list of URLs');
  }
  for (const key of ['jsonResponse', 'exitOnStdinClose']) {
    if (typeof opts[key] !== 'boolean') fail(`${key} must be true or false`);
  }
  return opts;
}

// ------------------------------------------------------- the token check
// The authorization server's discovery document, read once when first needed.
async function authorizationServerMetadata(issuer) {
  const errors = [];
  for (const wellKnown of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
    const url = `${issuer}${wellKnown}`;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (response.ok) {
        const document = await response.json();
        if (document.issuer !== issuer) throw new Error(`its issuer is ${JSON.stringify(document.issuer)}`);
        return document;
      }
      errors.push(`${url}: HTTP ${response.status}`);
    } catch (err) {
      errors.push(`${url}: ${err.message}`);
    }
  }
  throw new Error(`no discovery document for ${issuer} (${errors.join('; ')})`);
}

// An OAuthTokenVerifier for the SDK: a JWT access token signed by a key of
// the issuer's jwks_uri, for this resource.
function jwtVerifier(opts, resource) {
  let jwks;
  const keySet = async () => {
    if (!jwks) {
      const metadata = await authorizationServerMetadata(opts.issuer);
      if (typeof metadata.jwks_uri !== 'string') throw new Error(`${opts.issuer} publishes no jwks_uri`);
      jwks = createRemoteJWKSet(new URL(metadata.jwks_uri));
    }
    return jwks;
  };
  return {
    async verifyAccessToken(token) {
      let keys;
      try {
        keys = await keySet();
      } catch (err) {
        process.stderr.write(`mcp server: ${err.message}\n`);
        throw new ServerError(`cannot check tokens: ${err.message}`);
      }
      let payload;
      try {
        ({ payload } = await jwtVerify(token, keys, { issuer: opts.issuer, audience: resource }));
      } catch (err) {
        const tokenFault = err instanceof joseErrors.JOSEError
          && (err.code.startsWith('ERR_JWT') || err.code.startsWith('ERR_JWS')
            || err.code === 'ERR_JWKS_NO_MATCHING_KEY' || err.code === 'ERR_JWKS_MULTIPLE_MATCHING_KEYS');
        if (tokenFault || !(err instanceof joseErrors.JOSEError)) {
          throw new InvalidTokenError(`access token rejected: ${err.message}`);
        }
        process.stderr.write(`mcp server: the JWK Set: ${err.message}\n`);
        throw new ServerError(`cannot check tokens: ${err.message}`);
      }
      const scope = payload.scope ?? payload.scp ?? '';
      const scopes = Array.isArray(scope) ? scope.map(String) : String(scope).split(' ').filter(Boolean);
      return {
        token,
        clientId: String(payload.client_id ?? payload.azp ?? payload.sub ?? ''),
        scopes,
        expiresAt: payload.exp,
        resource: new URL(resource),
        extra: { sub: payload.sub },
      };
    },
  };
}

// ------------------------------------------------------------ MCP itself
function mcpServer() {
  const server = new McpServer({ name: SERVER_NAME, version: SERVER_VERSION }, { capabilities: { tools: {} } });
  server.registerTool('echo', {
    title: 'Echo',
    description: 'Answers the text it is given.',
    inputSchema: { text: z.string() },
  }, async ({ text }) => ({ content: [{ type: 'text', text }] }));
  return server;
}

// ------------------------------------------------------------------ main
let listener;

function shutdown() {
  if (!listener?.listening) process.exit(0);
  listener.close(() => process.exit(0));
  listener.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
}

async function main() {
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  const opts = readOptions();
  // stdout is for the ready line only.
  console.log = (...args) => process.stderr.write(`${args.join(' ')}\n`);
  console.info = console.log;

  const app = createMcpExpressApp({ host: '127.0.0.1' });
  // Listen first so that port 0 resolves to the real port, which the URLs carry.
  listener = app.listen(opts.port, '127.0.0.1');
  listener.on('error', (err) => fail(`listen: ${err.message}`));
  await new Promise((resolve) => listener.once('listening', resolve));
  const { port } = listener.address();
  const url = `http://127.0.0.1:${port}${opts.path}`;
  const resource = opts.resource ?? url;
  let metadataUrl;

  if (opts.metadataRouter === 'sdk') {
    let oauthMetadata;
    try {
      oauthMetadata = await authorizationServerMetadata(opts.issuer);
    } catch (err) {
      fail(err.message);
    }
    const resourceServerUrl = new URL(resource);
    app.use(mcpAuthMetadataRouter({
      oauthMetadata,
      resourceServerUrl,
      scopesSupported: opts.scopesSupported,
      resourceName: SERVER_NAME,
    }));
    metadataUrl = getOAuthProtectedResourceMetadataUrl(new URL(new URL(resourceServerUrl).pathname, url));
  } else {
    metadataUrl = getOAuthProtectedResourceMetadataUrl(new URL(url));
    app.use(new URL(metadataUrl).pathname, metadataHandler({
      resource,
      authorization_servers: opts.authorizationServers ?? [opts.issuer],
      scopes_supported: opts.scopesSupported,
      bearer_methods_supported: ['header'],
      resource_name: SERVER_NAME,
    }));
  }

  const auth = requireBearerAuth({
    verifier: jwtVerifier(opts, resource),
    requiredScopes: opts.requiredScopes,
    resourceMetadataUrl: metadataUrl,
  });
  app.post(opts.path, auth, async (req, res) => {
    const server = mcpServer();
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: opts.jsonResponse,
    });
    res.on('close', () => {
      transport.close();
      server.close();
    });
    try {
      await server.connect(transport);
      await transport.handleRequest(req, res, req.body);
    } catch (err) {
      process.stderr.write(`mcp server: ${err?.stack ?? err}\n`);
      if (!res.headersSent) {
        res.status(500).json({ jsonrpc: '2.0', error: { code: -32603, message: 'Internal server error' }, id: null });
      }
    }
  });
  const notAllowed = (req, res) => {
    res.status(405).set('Allow', 'POST').json({
      jsonrpc: '2.0',
      error: { code: -32000, message: 'Method not allowed: this server is stateless' },
      id: null,
    });
  };
  app.get(opts.path, auth, notAllowed);
  app.delete(opts.path, auth, notAllowed);

  if (opts.exitOnStdinClose) {
    process.stdin.on('end', shutdown);
    process.stdin.on('close', shutdown);
    process.stdin.resume();
  }

  const ready = {
    ready: true,
    port,
    url,
    metadata_url: metadataUrl,
    resource,
    issuer: opts.issuer,
  };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
}

main().catch((err) => {
  process.stderr.write(`mcp server: ${err?.stack ?? err}\n`);
  process.exit(1);
});
