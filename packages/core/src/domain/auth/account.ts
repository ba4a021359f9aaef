import type { Caller } from '../../context';
import { AppError, findAppError } from '../../errors';
import type { AuthTokens, Session } from '../../ports/auth-provider';
import type { AuthDeps } from './deps';
import { createLoginThrottle } from './login-throttle';
import { normalizeEmail } from './email';
import { AuthMessages } from './messages';
import { passwordProblem } from './password-rules';
import { signupPolicy, signupRefusal } from './signup-policy';
import { signupWait } from './signup-throttle';

/**
 * `POST /auth/signup`: refused (403) when the sign-up policy does not admit the address, and (429) past
 * `SIGNUP_MAX_PER_ADDRESS` attempts from the client's address; the password must pass the document's
 * rules; the e-mail is stored normalised.
 */
export async function signUp(
  deps: AuthDeps,
  input: { email: string; password: string },
  clientIp: string | null = null,
): Promise<AuthTokens> {
  const email = normalizeEmail(input.email);
  const refused = signupRefusal(signupPolicy(deps.env), email);
  if (refused) throw new AppError('FORBIDDEN', refused);
  const wait = await signupWait(
    deps.loginAttempts,
    deps.clock,
    { maxPerAddress: deps.env.SIGNUP_MAX_PER_ADDRESS, windowSeconds: deps.env.SIGNUP_WINDOW_S },
    clientIp,
  );
  if (wait !== undefined) {
    deps.log.warn({ clientIp }, 'sign-up refused: throttled');
    throw new AppError('RATE_LIMITED', AuthMessages.tooManySignups, {
      details: { kind: 'throttled', retryAfterSeconds: wait },
    });
  }
  const problem = passwordProblem(input.password);
  if (problem) throw new AppError('BAD_REQUEST', AuthMessages.signupFailed(problem));
  return deps.auth.signUp({ email, password: input.password });
}

/** The throttle every login and password reset shares (limits from the environment). */
export function loginThrottle(deps: AuthDeps) {
  return createLoginThrottle(deps.loginAttempts, deps.clock, {
    maxFailures: deps.env.LOGIN_MAX_FAILURES,
    maxAccountFailures: deps.env.LOGIN_MAX_FAILURES_PER_ACCOUNT,
    maxAddressFailures: deps.env.LOGIN_MAX_FAILURES_PER_ADDRESS,
    windowSeconds: deps.env.LOGIN_WINDOW_S,
  });
}

/**
 * `POST /auth/login`, throttled per account+address, per address and per account across all
 * instances (the counters live in the database); every attempt counts, whatever the transport.
 */
export async function signIn(
  deps: AuthDeps,
  input: { email: string; password: string },
  clientIp: string | null = null,
): Promise<AuthTokens> {
  const email = normalizeEmail(input.email);
  const throttle = loginThrottle(deps);
  const gate = await throttle.begin(email, clientIp ?? '');
  if (gate.retryAfter !== undefined) {
    deps.log.warn({ email, clientIp }, 'login refused: throttled');
    throw new AppError('RATE_LIMITED', AuthMessages.tooManyAttempts, {
      details: { kind: 'throttled', retryAfterSeconds: gate.retryAfter },
    });
  }
  try {
    const tokens = await deps.auth.signIn({ email, password: input.password });
    await throttle.succeeded(gate.attempt);
    return tokens;
  } catch (e) {
    // Only credential failures count; an unreachable provider is not the user's fault.
    if (findAppError(e)?.code !== 'UNAUTHORIZED') await throttle.discard(gate.attempt);
    throw e;
  }
}

/** `POST /auth/logout`: revokes the caller's session only. */
export async function signOut(deps: AuthDeps, session: Session): Promise<{ message: string }> {
  await deps.auth.signOut(session);
  return { message: AuthMessages.logoutOk };
}

/** `POST /auth/refresh`. A signed-in caller can only refresh a session of their own. */
export async function refresh(
  deps: AuthDeps,
  input: { refresh_token: string },
  session: Session | null,
): Promise<AuthTokens> {
  return deps.auth.refresh(input.refresh_token, session?.userId);
}

/** `GET /auth/session`: the caller's own session; without one, a 401 the edge renders as documented. */
export function sessionInfo(caller: Caller): Session {
  if (caller.kind !== 'authenticated') {
    const message =
      caller.kind === 'anonymous' ? AuthMessages.sessionNoCredentials : AuthMessages.sessionInvalid;
    throw new AppError('UNAUTHORIZED', message, { details: { kind: 'no_session' } });
  }
  return caller.session;
}
