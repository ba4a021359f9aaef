import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import * as oidc from 'openid-client';
import type { Logger } from 'pino';

import { AuthMessages } from '../../../domain/auth/messages';
import type { Env } from '../../../env';
import { AppError } from '../../../errors';
import type { Clock } from '../../../ports/clock';
import { OAuthFailure, type OAuthFlowStore } from '../oauth-flows';

/** What we learn about the person from the identity provider. */
export type OidcProfile = {
  sub: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  picture: string | null;
};

function profileFrom(claims: JWTPayload | oidc.UserInfoResponse): OidcProfile {
  const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : null);
  const verified = claims.email_verified;
  return {
    sub: String(claims.sub),
    email: str(claims.email),
    emailVerified: verified === true || verified === 'true',
    name: str(claims.name),
    picture: str(claims.picture),
  };
}

/** Short, safe text for an upstream OAuth error (never a response dump). */
function describe(e: unknown): string {
  if (e instanceof oidc.ResponseBodyError) return e.error_description ?? e.error;
  if (e instanceof oidc.AuthorizationResponseError) return e.error_description ?? e.error;
  if (e instanceof joseErrors.JWTExpired) return 'token đã hết hạn';
  if (e instanceof joseErrors.JOSEError) return 'token không hợp lệ';
  if (e instanceof oidc.ClientError) return 'phản hồi không hợp lệ từ nhà cung cấp xác thực';
  return AuthMessages.providerUnreachable;
}

/**
 * Google sign-in for the local provider: standard OpenID Connect authorization code + PKCE against
 * `OIDC_ISSUER` (Google by default, any OIDC provider works). State, verifier and nonce live per flow in
 * the database.
 */
export function createGoogleOidc(opts: {
  env: Env;
  clock: Clock;
  log: Logger;
  flows: OAuthFlowStore;
}) {
  const { env, clock, log, flows } = opts;
  const missing = [
    ...(env.GOOGLE_CLIENT_ID ? [] : ['GOOGLE_CLIENT_ID']),
    ...(env.GOOGLE_CLIENT_SECRET ? [] : ['GOOGLE_CLIENT_SECRET']),
  ];
  let config: Promise<oidc.Configuration> | undefined;
  let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;

  /** Our OAuth client at the issuer; sign-in is unavailable (503) until both values are set. */
  function client(): { id: string; secret: string } {
    const { GOOGLE_CLIENT_ID: id, GOOGLE_CLIENT_SECRET: secret } = env;
    if (id && secret) return { id, secret };
    throw new AppError('UNAVAILABLE', AuthMessages.googleNotConfigured(missing));
  }

  /** Discovers the issuer once; a failed discovery is retried on the next request. */
  function configuration(): Promise<oidc.Configuration> {
    const { id, secret } = client();
    config ??= oidc
      .discovery(new URL(env.OIDC_ISSUER), id, secret, undefined, {
        execute: env.OIDC_ALLOW_INSECURE ? [oidc.allowInsecureRequests] : [],
        timeout: 10,
      })
      .catch((cause: unknown) => {
        config = undefined;
        log.error({ err: cause, issuer: env.OIDC_ISSUER }, 'OIDC discovery failed');
        throw new AppError('UNAVAILABLE', AuthMessages.notConfigured, { cause });
      });
    return config;
  }

  async function profileFromTokens(
    cfg: oidc.Configuration,
    tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers,
  ) {
    const claims = tokens.claims();
    if (!claims) throw new OAuthFailure('nhà cung cấp không trả về id_token');
    const profile = profileFrom(claims);
    if (profile.email) return profile;
    return profileFrom(await oidc.fetchUserInfo(cfg, tokens.access_token, claims.sub));
  }

  return {
    configured: missing.length === 0,

    async authorizationUrl(redirectUrl: string): Promise<string> {
      const cfg = await configuration();
      const target = new URL(redirectUrl);
      // openid-client derives the token request's redirect_uri by stripping the query, so it must have none.
      if (target.search || target.hash)
        throw new OAuthFailure('redirect_url không được chứa tham số truy vấn hoặc #');
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      await flows.save({
        state,
        codeVerifier,
        nonce,
        redirectUrl: target.href,
        provider: 'google',
      });
      return oidc.buildAuthorizationUrl(cfg, {
        redirect_uri: target.href,
        scope: 'openid email profile',
        response_type: 'code',
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      }).href;
    },

    /** Finishes a redirect flow: the code and state the provider sent back to `redirect_url`. */
    async exchangeCode(input: {
      code: string;
      state?: string;
      iss?: string;
    }): Promise<OidcProfile> {
      const cfg = await configuration();
      if (!input.state) throw new OAuthFailure(AuthMessages.missingState);
      const flow = await flows.take(input.state);
      if (!flow) throw new OAuthFailure(AuthMessages.unknownState);
      const callback = new URL(flow.redirectUrl);
      callback.searchParams.set('code', input.code);
      callback.searchParams.set('state', input.state);
      // RFC 9207: only one issuer is configured, so a missing `iss` can only mean that issuer.
      callback.searchParams.set('iss', input.iss ?? cfg.serverMetadata().issuer);
      try {
        const tokens = await oidc.authorizationCodeGrant(cfg, callback, {
          pkceCodeVerifier: flow.codeVerifier,
          expectedState: flow.state,
          expectedNonce: flow.nonce ?? undefined,
          idTokenExpected: true,
        });
        return await profileFromTokens(cfg, tokens);
      } catch (e) {
        if (e instanceof OAuthFailure) throw e;
        throw new OAuthFailure(describe(e));
      }
    },

    /**
     * `POST /auth/google` with `access_token`: a Google ID token (a JWT whose audience is our client), or
     * an opaque access token the issuer's introspection endpoint confirms was issued to our client. Access
     * tokens issued to other applications are refused (they would let any app log in as its users).
     */
    async verifyToken(token: string): Promise<OidcProfile> {
      const cfg = await configuration();
      const meta = cfg.serverMetadata();
      try {
        if (token.split('.').length === 3) {
          if (!meta.jwks_uri) throw new OAuthFailure('nhà cung cấp không công bố jwks_uri');
          jwks ??= createRemoteJWKSet(new URL(meta.jwks_uri));
          const { payload } = await jwtVerify(token, jwks, {
            issuer: meta.issuer,
            audience: client().id,
            currentDate: clock.now(),
          });
          return profileFrom(payload);
        }
        if (!meta.introspection_endpoint)
          throw new OAuthFailure('access_token phải là Google ID token (JWT)');
        const info = await oidc.tokenIntrospection(cfg, token);
        if (!info.active || info.client_id !== env.GOOGLE_CLIENT_ID)
          throw new OAuthFailure('access_token không hợp lệ hoặc đã hết hạn');
        return profileFrom(await oidc.fetchUserInfo(cfg, token, info.sub ?? oidc.skipSubjectCheck));
      } catch (e) {
        if (e instanceof OAuthFailure) throw e;
        throw new OAuthFailure(describe(e));
      }
    },
  };
}

export type GoogleOidc = ReturnType<typeof createGoogleOidc>;
