import { describe, expect, it } from 'vitest';

import {
  EmailSchema,
  GoogleAuthRequestSchema,
  normalizeEmail,
  PASSWORD_RULE_MESSAGES,
  passwordProblem,
  vetRedirect,
} from '@rag/core/testing';

describe('password rules (the document order, first failing rule wins)', () => {
  it.each([
    ['', 'Mật khẩu phải có ít nhất 8 ký tự'],
    ['aB1', 'Mật khẩu phải có ít nhất 8 ký tự'],
    ['abcdefgh', 'Mật khẩu phải có ít nhất một chữ cái viết hoa'],
    ['abcdefg1', 'Mật khẩu phải có ít nhất một chữ cái viết hoa'],
    ['ABCDEFG1', 'Mật khẩu phải có ít nhất một chữ cái viết thường'],
    ['ABCDEFGh', 'Mật khẩu phải có ít nhất một chữ số'],
    ['Abcdefg1', null],
    // Unicode letters count, as Python's isupper/islower did; length counts code points.
    ['ĐÂYlàmk1', null],
    ['Ắắ1😀😀😀😀😀', null],
    ['Ắắ1😀', 'Mật khẩu phải có ít nhất 8 ký tự'],
  ])('%j → %s', (password, expected) => {
    expect(passwordProblem(password)).toBe(expected);
  });

  it('lists the messages in the document order', () => {
    expect(PASSWORD_RULE_MESSAGES).toEqual([
      'Mật khẩu phải có ít nhất 8 ký tự',
      'Mật khẩu phải có ít nhất một chữ cái viết hoa',
      'Mật khẩu phải có ít nhất một chữ cái viết thường',
      'Mật khẩu phải có ít nhất một chữ số',
    ]);
  });
});

describe('e-mail normalisation', () => {
  it('trims and lower-cases', () => {
    expect(normalizeEmail('  Foo.Bar@Example.COM\t')).toBe('foo.bar@example.com');
  });

  it('is applied by the request schema before the format check', () => {
    expect(EmailSchema.parse(' USER@Example.com ')).toBe('user@example.com');
    expect(EmailSchema.safeParse('not an email').success).toBe(false);
    expect(EmailSchema.safeParse(`${'a'.repeat(250)}@x.io`).success).toBe(false);
  });
});

describe('redirect_to vetting (AUTH_REDIRECT_ORIGINS)', () => {
  const allowed = 'http://localhost:3000, https://app.example.com';
  it.each([
    ['https://app.example.com/reset?x=1', 'https://app.example.com/reset?x=1'],
    ['http://localhost:3000/r', 'http://localhost:3000/r'],
    ['https://app.example.com.evil.net/reset', undefined],
    ['http://app.example.com/reset', undefined],
    ['javascript:alert(1)', undefined],
    ['not a url', undefined],
    [null, undefined],
  ])('%s → %s', (input, expected) => {
    expect(vetRedirect(input, allowed)).toBe(expected);
  });

  it('allows nothing when no origins are configured', () => {
    expect(vetRedirect('https://app.example.com/', '')).toBeUndefined();
  });
});

describe('GoogleAuthRequest', () => {
  it('defaults provider to google and accepts null fields', () => {
    expect(GoogleAuthRequestSchema.parse({ code: 'c', access_token: null })).toEqual({
      code: 'c',
      access_token: null,
      provider: 'google',
    });
  });
});
