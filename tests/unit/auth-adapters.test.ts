import { AuthApiError, AuthRetryableFetchError } from '@supabase/supabase-js';
import { describe, expect, it } from 'vitest';

import { smtpTransportOptions } from '../../packages/core/src/adapters/mail/smtp-mailer';
import { memoryStorage } from '../../packages/core/src/adapters/auth/supabase/supabase-clients';
import {
  loginError,
  passwordUpdateError,
  signUpError,
} from '../../packages/core/src/adapters/auth/supabase/supabase-errors';

describe('GoTrue error mapping', () => {
  it.each([
    [
      new AuthApiError('Invalid login credentials', 400, 'invalid_credentials'),
      'UNAUTHORIZED',
      'Email hoặc mật khẩu không chính xác',
    ],
    [
      new AuthApiError('Email not confirmed', 400, 'email_not_confirmed'),
      'UNAUTHORIZED',
      'Email chưa được xác nhận. Vui lòng kiểm tra hộp thư để xác nhận email',
    ],
    [
      new AuthApiError('User not found', 400, undefined),
      'UNAUTHORIZED',
      'Không tìm thấy tài khoản với email này',
    ],
    [new AuthApiError('Invalid email', 400, undefined), 'BAD_REQUEST', 'Email không hợp lệ'],
    [
      new AuthApiError('Request rate limit reached', 429, 'over_request_rate_limit'),
      'RATE_LIMITED',
      'Quá nhiều lần đăng nhập thất bại. Vui lòng thử lại sau',
    ],
    [
      new AuthApiError('Something odd', 400, 'unexpected'),
      'BAD_REQUEST',
      'Lỗi đăng nhập: Something odd',
    ],
    [
      new AuthRetryableFetchError('fetch failed', 0),
      'UNAVAILABLE',
      'Dịch vụ xác thực chưa được cấu hình',
    ],
  ])('login: %s', (error, code, message) => {
    const mapped = loginError(error);
    expect([mapped.code, mapped.message]).toEqual([code, message]);
  });

  it('maps sign-up errors to "Lỗi khi đăng ký tài khoản: …"', () => {
    expect(
      signUpError(new AuthApiError('User already registered', 422, 'user_already_exists')).message,
    ).toBe('Lỗi khi đăng ký tài khoản: Email này đã được đăng ký');
    expect(signUpError(new AuthApiError('weak', 422, 'weak_password')).message).toBe(
      'Lỗi khi đăng ký tài khoản: Mật khẩu mới quá yếu. Vui lòng chọn mật khẩu mạnh hơn.',
    );
  });

  it.each([
    [
      422,
      { error_code: 'same_password', msg: 'New password should be different' },
      'BAD_REQUEST',
      'Mật khẩu mới phải khác mật khẩu cũ',
    ],
    [
      422,
      { error_code: 'weak_password', msg: 'weak' },
      'BAD_REQUEST',
      'Mật khẩu mới quá yếu. Vui lòng chọn mật khẩu mạnh hơn.',
    ],
    [
      403,
      { error_code: 'bad_jwt', msg: 'invalid JWT' },
      'UNAUTHORIZED',
      'Token không hợp lệ hoặc đã hết hạn',
    ],
    [400, { msg: 'JWT expired' }, 'UNAUTHORIZED', 'Token không hợp lệ hoặc đã hết hạn'],
    [
      400,
      { msg: 'Password should be at least 6 characters' },
      'BAD_REQUEST',
      'Lỗi: Password should be at least 6 characters',
    ],
    [502, { message: 'bad gateway' }, 'UNAVAILABLE', 'Dịch vụ xác thực chưa được cấu hình'],
  ])('password update %i %j', (status, body, code, message) => {
    const mapped = passwordUpdateError(status, body);
    expect([mapped.code, mapped.message]).toEqual([code, message]);
  });
});

describe('per-client Supabase storage', () => {
  it('holds JSON like supabase-js expects and reads plain strings back', () => {
    const storage = memoryStorage({ 'rag-code-verifier': 'abc' });
    expect(storage.getItem('rag-code-verifier')).toBe('"abc"');
    void storage.setItem('k', JSON.stringify('v'));
    expect(storage.peek('k')).toBe('v');
    expect(storage.peek('missing')).toBeNull();
  });
});

describe('SMTP transport options', () => {
  it('skips STARTTLS for a plain relay on loopback unless the URL says otherwise', () => {
    expect(smtpTransportOptions('smtp://127.0.0.1:2525')).toMatchObject({ ignoreTLS: true });
    expect(smtpTransportOptions('smtp://localhost:25')).toMatchObject({ ignoreTLS: true });
    expect(smtpTransportOptions('smtp://127.0.0.1:2525?requireTLS=true')).not.toHaveProperty(
      'ignoreTLS',
    );
    expect(smtpTransportOptions('smtp://mail.example.com:587')).not.toHaveProperty('ignoreTLS');
    expect(smtpTransportOptions('smtps://127.0.0.1:465')).not.toHaveProperty('ignoreTLS');
  });
});
