import { isAuthError, isAuthRetryableFetchError, type AuthError } from '@supabase/supabase-js';

import { AuthMessages } from '../../../domain/auth/messages';
import { AppError } from '../../../errors';

/** GoTrue's message, trimmed to something safe to show (never a whole response dump). */
export function gotrueMessage(
  e: { message?: unknown; msg?: unknown; error_description?: unknown } | AuthError,
): string {
  const raw = [
    e.message,
    (e as { msg?: unknown }).msg,
    (e as { error_description?: unknown }).error_description,
  ].find((v): v is string => typeof v === 'string' && v.length > 0);
  return (raw ?? 'lỗi không xác định').replace(/\s+/g, ' ').slice(0, 200);
}

/** GoTrue unreachable or failing on its side: 503 per the contract, with the cause kept for the log. */
export function unreachable(cause: unknown): AppError {
  return new AppError('UNAVAILABLE', AuthMessages.notConfigured, { cause });
}

export function isUnreachable(e: unknown): boolean {
  return isAuthRetryableFetchError(e) || (!isAuthError(e) && e instanceof Error);
}

/** `POST /auth/login` failures, mapped like the original did on GoTrue's error text and codes. */
export function loginError(e: AuthError): AppError {
  if (isUnreachable(e)) return unreachable(e);
  const text = e.message ?? '';
  const code = e.code ?? '';
  if (code === 'invalid_credentials' || text.includes('Invalid login credentials')) {
    return new AppError('UNAUTHORIZED', AuthMessages.wrongCredentials, { cause: e });
  }
  if (code === 'email_not_confirmed' || text.includes('Email not confirmed')) {
    return new AppError('UNAUTHORIZED', AuthMessages.emailNotConfirmed, { cause: e });
  }
  if (code === 'user_not_found' || text.includes('User not found')) {
    return new AppError('UNAUTHORIZED', AuthMessages.userNotFound, { cause: e });
  }
  if (code === 'email_address_invalid' || text.includes('Invalid email')) {
    return new AppError('BAD_REQUEST', AuthMessages.invalidEmail, { cause: e });
  }
  if (e.status === 429 || /rate limit/i.test(text)) {
    return new AppError('RATE_LIMITED', AuthMessages.tooManyAttempts, { cause: e });
  }
  return new AppError('BAD_REQUEST', AuthMessages.loginFailed(gotrueMessage(e)), { cause: e });
}

/** `POST /auth/signup` failures: always 400 "Lỗi khi đăng ký tài khoản: …" with a Vietnamese reason. */
export function signUpError(e: AuthError): AppError {
  if (isUnreachable(e)) return unreachable(e);
  const text = e.message ?? '';
  const code = e.code ?? '';
  let reason = gotrueMessage(e);
  if (
    code === 'user_already_exists' ||
    code === 'email_exists' ||
    /already (been )?registered/i.test(text)
  ) {
    reason = AuthMessages.emailTaken;
  } else if (code === 'weak_password') {
    reason = AuthMessages.weakPassword;
  } else if (code === 'email_address_invalid' || /invalid email/i.test(text)) {
    reason = AuthMessages.invalidEmail;
  } else if (e.status === 429 || /rate limit/i.test(text)) {
    reason = 'quá nhiều yêu cầu, vui lòng thử lại sau';
  }
  return new AppError('BAD_REQUEST', AuthMessages.signupFailed(reason), { cause: e });
}

const INVALID_TOKEN_CODES = new Set([
  'bad_jwt',
  'invalid_token',
  'session_not_found',
  'session_expired',
  'user_not_found',
  'no_authorization',
]);

/** `PUT /auth/v1/user` (password update with the recovery token) failures. */
export function passwordUpdateError(status: number, body: Record<string, unknown>): AppError {
  // GoTrue names the failure in `error_code` (newer) or `code` (older releases), as a string.
  const code = [body.error_code, body.code].find((v) => typeof v === 'string') ?? '';
  const message = gotrueMessage(body);
  if (code === 'same_password') return new AppError('BAD_REQUEST', AuthMessages.samePassword);
  if (code === 'weak_password' || code === 'password_too_weak')
    return new AppError('BAD_REQUEST', AuthMessages.weakPassword);
  if (
    status === 401 ||
    status === 403 ||
    INVALID_TOKEN_CODES.has(code) ||
    /invalid JWT|JWT expired|token is expired/i.test(message)
  ) {
    return new AppError('UNAUTHORIZED', AuthMessages.invalidToken);
  }
  if (status >= 500) return unreachable(new Error(`GoTrue ${status}: ${message}`));
  return new AppError('BAD_REQUEST', AuthMessages.error(message));
}
