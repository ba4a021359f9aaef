import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { createAccessTokens } from '../../packages/core/src/adapters/auth/local/access-tokens';
import { loadJwtSecret } from '../../packages/core/src/adapters/auth/local/jwt-secret';
import {
  burnVerification,
  hashPassword,
  verifyPassword,
} from '../../packages/core/src/adapters/auth/local/passwords';
import { hashToken, randomToken } from '../../packages/core/src/adapters/auth/opaque-tokens';
import { manualClock } from '../support/users';

const dir = mkdtempSync(join(tmpdir(), 'rag-auth-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ids = {
  userId: '3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b',
  sessionId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
};
const secret = new TextEncoder().encode('x'.repeat(48));

describe('access tokens', () => {
  it('round-trips user and session ids until the token expires', async () => {
    const clock = manualClock();
    const tokens = createAccessTokens({ secret, clock, ttlSeconds: 60 });
    const token = await tokens.sign(ids);
    expect(await tokens.verify(token)).toEqual(ids);
    clock.advance(59);
    expect(await tokens.verify(token)).toEqual(ids);
    clock.advance(1);
    expect(await tokens.verify(token)).toBeNull();
    // Checked at every use, also once remembered: it stays refused.
    expect(await tokens.verify(token)).toBeNull();
  });

  it('refuses a tampered copy of a token it has accepted, and keeps working past its memory', async () => {
    const clock = manualClock();
    const tokens = createAccessTokens({ secret, clock, ttlSeconds: 600 });
    const token = await tokens.sign(ids);
    expect(await tokens.verify(token)).toEqual(ids);
    const [h, p, s] = token.split('.') as [string, string, string];
    const flipped = `${s.slice(0, -2)}${s.at(-2) === 'A' ? 'B' : 'A'}${s.at(-1)}`;
    expect(await tokens.verify(`${h}.${p}.${flipped}`)).toBeNull();
    for (let i = 0; i < 4100; i++) {
      const other = {
        ...ids,
        sessionId: ids.sessionId.replace(/^.{4}/, i.toString(16).padStart(4, '0')),
      };
      if (i % 1000 === 0 || i > 4090)
        expect(await tokens.verify(await tokens.sign(other))).toEqual(other);
      else await tokens.verify(await tokens.sign(other));
    }
    expect(await tokens.verify(token)).toEqual(ids);
  });

  it('refuses tampered tokens, other secrets, other algorithms and garbage', async () => {
    const clock = manualClock();
    const tokens = createAccessTokens({ secret, clock, ttlSeconds: 60 });
    const token = await tokens.sign(ids);
    const [h, p, s] = token.split('.') as [string, string, string];
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), sub: ids.sessionId }),
    ).toString('base64url');
    expect(await tokens.verify(`${h}.${forged}.${s}`)).toBeNull();
    const other = createAccessTokens({
      secret: new TextEncoder().encode('y'.repeat(48)),
      clock,
      ttlSeconds: 60,
    });
    expect(await other.verify(token)).toBeNull();
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${p}.`;
    expect(await tokens.verify(none)).toBeNull();
    for (const junk of ['', 'a.b.c', 'not-a-jwt', `${token}x`])
      expect(await tokens.verify(junk)).toBeNull();
  });
});

describe('JWT secret', () => {
  it('uses JWT_SECRET when set', () => {
    expect(new TextDecoder().decode(loadJwtSecret('s'.repeat(32), dir))).toBe('s'.repeat(32));
  });

  it('otherwise generates one in DATA_DIR once (mode 0600) and keeps it across restarts', () => {
    const first = loadJwtSecret(undefined, dir);
    const second = loadJwtSecret(undefined, dir);
    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(true);
    const file = join(dir, 'secrets', 'jwt-secret');
    expect(readFileSync(file, 'utf8').length).toBeGreaterThanOrEqual(64);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe('passwords and opaque tokens', () => {
  it('hashes with argon2id and verifies', async () => {
    const hash = await hashPassword('Correct-h0rse');
    expect(hash.startsWith('$argon2id$')).toBe(true);
    expect(await verifyPassword(hash, 'Correct-h0rse')).toBe(true);
    expect(await verifyPassword(hash, 'correct-h0rse')).toBe(false);
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
    expect(await burnVerification('anything')).toBe(false);
  });

  it('makes 256-bit URL-safe tokens and stores only their SHA-256', () => {
    const a = randomToken();
    expect(a).toMatch(/^[\w-]{43}$/);
    expect(randomToken()).not.toBe(a);
    expect(hashToken(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(a)).toBe(hashToken(a));
  });
});
