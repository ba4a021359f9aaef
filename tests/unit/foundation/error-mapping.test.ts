import { describe, expect, it } from 'vitest';

import { AppError } from '@rag/core';
import { toHttp } from '../../../services/gateway/src/rest/http-errors';

describe('the gateway renders domain failures from their code and typed details', () => {
  it('a throttle becomes 429 with Retry-After from its details', () => {
    const err = new AppError('RATE_LIMITED', 'Quá nhiều lần', {
      details: { kind: 'throttled', retryAfterSeconds: 7 },
    });
    expect(toHttp(err)).toEqual({
      status: 429,
      body: { detail: 'Quá nhiều lần' },
      headers: { 'Retry-After': '7' },
    });
  });

  it('every 401 asks for a bearer token; the session probe gets its documented body', () => {
    expect(toHttp(new AppError('UNAUTHORIZED', 'Không có')).headers).toEqual({
      'WWW-Authenticate': 'Bearer',
    });
    const probe = new AppError('UNAUTHORIZED', 'Phiên không hợp lệ', {
      details: { kind: 'no_session' },
    });
    expect(toHttp(probe)).toEqual({
      status: 401,
      body: { is_authenticated: false, message: 'Phiên không hợp lệ' },
      headers: { 'WWW-Authenticate': 'Bearer' },
    });
  });

  it('keeps the user message apart from the internal reason, which never reaches the body', () => {
    const err = new AppError('UPSTREAM_FAILED', 'Nhà cung cấp lỗi', {
      internal: 'openai answered 500: stack trace…',
    });
    expect(err.userMessage).toBe('Nhà cung cấp lỗi');
    expect(err.internal).toContain('openai');
    expect(JSON.stringify(toHttp(err).body)).not.toContain('openai');
  });
});
