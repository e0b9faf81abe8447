// An OpenID provider for oauthkit's interop tests (internal/interop,
// nodeop_test.go): panva's oidc-provider, as package.json pins it, on
// 127.0.0.1, plain HTTP, on a port the system chooses.
//
//   node server.js CONFIG.json
//
// CONFIG.json, written by the Go test:
//
//   {
//     "clients": [...],          // client metadata (RFC 7591 names), as oidc-provider takes it
//     "user": {"sub": "...", ...},  // the one end-user: "sub" and the claims of the profile and email scopes
//     "requireDPoPNonce": false,  // RFC 9449 §8, §9: every DPoP proof must carry a server nonce
//     "requirePAR": false         // RFC 9126 §5: every client must push its authorization requests
//   }
//
// Once it serves, it prints one line to stdout:
//
//   listening http://127.0.0.1:PORT
//
// which is also the issuer. Everything else (oidc-provider's warnings,
// errors) goes to stderr. It runs until killed.
//
// There are no login or consent pages: the interaction routes below sign
// the user in and grant every requested scope at once, as soon as the user
// agent arrives, unless the authorization request says login_hint=deny,
// which ends the interaction with access_denied. The device flow's pages
// are oidc-provider's own forms (features.deviceFlow's defaults), which
// the Go test fills in.

import * as crypto from 'node:crypto';
import * as http from 'node:http';
import { readFileSync } from 'node:fs';

import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const { user } = config;

// The provider's signing keys, new for every run.
function privateJWK(type, options, alg, kid) {
  const { privateKey } = crypto.generateKeyPairSync(type, options);
  return { ...privateKey.export({ format: 'jwk' }), alg, use: 'sig', kid };
}
const jwks = {
  keys: [
    privateJWK('rsa', { modulusLength: 2048 }, 'RS256', 'rs256-1'),
    privateJWK('ec', { namedCurve: 'P-256' }, 'ES256', 'es256-1'),
  ],
};

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = newProvider(issuer);
  const oidc = provider.callback();
  server.on('request', (req, res) => {
    const m = /^\/interaction\/([^/?]+)$/.exec(req.url.split('?')[0]);
    if (m && req.method === 'GET') {
      interaction(provider, req, res).catch((err) => {
        console.error('interaction:', err);
        if (!res.headersSent) {
          res.statusCode = 500;
          res.end(`interaction failed: ${err.message}\n`);
        }
      });
      return;
    }
    oidc(req, res);
  });
  process.stdout.write(`listening ${issuer}\n`);
});

function newProvider(issuer) {
  const provider = new Provider(issuer, {
    clients: config.clients,
    jwks,
    cookies: { keys: [crypto.randomBytes(32).toString('base64url')] },
    claims: {
      openid: ['sub'],
      profile: ['name', 'given_name', 'family_name'],
      email: ['email', 'email_verified'],
    },
    scopes: ['openid', 'offline_access'],
    async findAccount(ctx, sub) {
      if (sub !== user.sub) return undefined;
      return { accountId: sub, async claims() { return { ...user }; } };
    },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    pkce: { required: () => true },
    rotateRefreshToken: () => true,
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 60,
      ClientCredentials: 600,
      DeviceCode: 600,
      Grant: 3600,
      IdToken: 3600,
      Interaction: 600,
      RefreshToken: 86400,
      Session: 3600,
    },
    features: {
      devInteractions: { enabled: false },
      dPoP: {
        enabled: true,
        nonceSecret: crypto.randomBytes(32),
        requireNonce: () => Boolean(config.requireDPoPNonce),
      },
      pushedAuthorizationRequests: {
        enabled: true,
        requirePushedAuthorizationRequests: Boolean(config.requirePAR),
      },
      clientCredentials: { enabled: true },
      deviceFlow: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      resourceIndicators: { enabled: false },
    },
  });
  provider.on('server_error', (ctx, err) => console.error('server_error:', err));
  return provider;
}

// interaction finishes the interaction the user agent arrives at: login
// as user.sub, then consent to everything asked, or access_denied for
// login_hint=deny. oidc-provider redirects the user agent back to the
// authorization (or device) flow, which asks for the next prompt or
// answers the client.
async function interaction(provider, req, res) {
  const details = await provider.interactionDetails(req, res);
  const { prompt, params, session } = details;
  let result;
  if (params.login_hint === 'deny') {
    result = { error: 'access_denied', error_description: 'the test user said no' };
  } else if (prompt.name === 'login') {
    result = { login: { accountId: user.sub } };
  } else if (prompt.name === 'consent') {
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    const { missingOIDCScope, missingOIDCClaims, missingResourceScopes } = prompt.details;
    if (missingOIDCScope) grant.addOIDCScope(missingOIDCScope.join(' '));
    if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missingResourceScopes || {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    const grantId = await grant.save();
    result = { consent: details.grantId ? {} : { grantId } };
  } else {
    throw new Error(`unexpected prompt ${prompt.name}`);
  }
  await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: prompt.name === 'consent' });
}
