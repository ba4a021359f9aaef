import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import Provider from 'oidc-provider';

export type OidcAccount = {
  email: string;
  email_verified: boolean;
  name?: string;
  picture?: string;
};
export type OidcClient = { client_id: string; client_secret: string; redirect_uris: string[] };

export type RunningOidcProvider = {
  issuer: string;
  /** People who can sign in, by subject. */
  accounts: Map<string, OidcAccount>;
  /**
   * Plays the browser: follows the authorization URL through the provider's login and consent pages as
   * `sub` and returns the URL the provider finally redirects to (redirect_uri?code=…&state=…&iss=…).
   */
  authorize(authorizationUrl: string, sub: string): Promise<URL>;
  close(): Promise<void>;
};

/**
 * A real OpenID Connect provider (panva's oidc-provider) on 127.0.0.1, with its development login and
 * consent pages, PKCE required, ID tokens carrying the e-mail claims (as Google's do) and token
 * introspection enabled.
 */
export async function startOidcProvider(clients: OidcClient[]): Promise<RunningOidcProvider> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const accounts = new Map<string, OidcAccount>();

  const provider = new Provider(issuer, {
    clients: clients.map((c) => ({
      ...c,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    })),
    cookies: { keys: ['test-cookie-key'] },
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: true },
      // Clients may introspect only their own tokens.
      introspection: {
        enabled: true,
        allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId,
      },
    },
    ttl: {
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
      AccessToken: 600,
      IdToken: 600,
      AuthorizationCode: 60,
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'picture'] },
    conformIdTokenClaims: false,
    findAccount: (_ctx, sub) => {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: () => ({ sub, ...account }) };
    },
  });
  server.on('request', provider.callback());

  async function authorize(authorizationUrl: string, sub: string): Promise<URL> {
    const jar = new Map<string, string>();
    let url = new URL(authorizationUrl);
    let init: RequestInit = {};
    for (let step = 0; step < 20; step++) {
      const res = await fetch(url, {
        ...init,
        redirect: 'manual',
        headers: {
          ...(init.headers as Record<string, string>),
          cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
        },
      });
      for (const c of res.headers.getSetCookie()) {
        const [pair] = c.split(';');
        const eq = pair!.indexOf('=');
        jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
      }
      const location = res.headers.get('location');
      if (location) {
        url = new URL(location, url);
        init = {};
        if (url.origin !== issuer) return url;
        continue;
      }
      const html = await res.text();
      const action = /action="([^"]+)"/.exec(html)?.[1];
      if (!action)
        throw new Error(`unexpected page from the provider (${res.status}): ${html.slice(0, 200)}`);
      const form = html.includes('value="login"')
        ? new URLSearchParams({ prompt: 'login', login: sub, password: 'irrelevant' })
        : new URLSearchParams({ prompt: 'consent' });
      url = new URL(action, url);
      init = {
        method: 'POST',
        body: form.toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      };
    }
    throw new Error('too many redirects');
  }

  return {
    issuer,
    accounts,
    authorize,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
