import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import {
  createAuthProvider,
  documentedErrorBody,
  parseEnv,
  schema,
  signIn,
  type AuthDeps,
  type Deps,
} from '@rag/core';

import { createPostgresLoginAttempts } from '../../packages/core/src/adapters/postgres/login-attempts';
import { callerFor, createTestDeps } from '../support/harness';
import { appErrorOf, signUpUser, strongPassword } from '../support/users';

const SECRET = 'integration-test-secret-0123456789abcdef';
let deps: Deps;
const tmp: string[] = [];

/** A second "gateway instance": its own provider object and data directory, the same database. */
async function secondInstance(
  env: Record<string, string> = { JWT_SECRET: SECRET },
): Promise<AuthDeps> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rag-auth-2-'));
  tmp.push(dataDir);
  const parsed = parseEnv({ LOG_LEVEL: 'silent', DATA_DIR: dataDir, ...env });
  const auth = await createAuthProvider({
    env: parsed,
    db: deps.db,
    mailer: deps.mailer,
    clock: deps.clock,
    log: deps.log,
    dataDir,
  });
  return {
    auth,
    loginAttempts: createPostgresLoginAttempts(deps.db),
    clock: deps.clock,
    env: parsed,
    log: pino({ level: 'silent' }),
  };
}

beforeAll(async () => {
  deps = await createTestDeps({ JWT_SECRET: SECRET, PUBLIC_URL: 'http://localhost:8001/app' });
});
afterAll(async () => {
  await deps.close();
  for (const dir of tmp) rmSync(dir, { recursive: true, force: true });
});

describe('local provider through the procedures', () => {
  it('is the default and serves signUpUser, findUsersByEmails and the health probe', async () => {
    expect(deps.auth.name).toMatch(/^local/);
    const user = await signUpUser(deps);
    expect(await deps.auth.verifyAccessToken(user.token)).toMatchObject({
      userId: user.userId,
      email: user.email,
    });
    const found = await deps.auth.findUsersByEmails([user.email, 'nobody@example.com']);
    expect(found).toEqual(new Map([[user.email, user.userId]]));
    await expect(deps.auth.ping()).resolves.toBeUndefined();
  });

  it('reports the session procedure failures with the documented bodies', async () => {
    const anonymous = await appErrorOf((await callerFor(deps)).auth.session());
    expect(documentedErrorBody(anonymous)).toEqual({
      is_authenticated: false,
      message: 'Không có thông tin xác thực',
    });
    const invalid = await appErrorOf((await callerFor(deps, 'nope')).auth.session());
    expect(documentedErrorBody(invalid)).toEqual({
      is_authenticated: false,
      message: 'Phiên không hợp lệ hoặc đã hết hạn',
    });
    const me = await appErrorOf((await callerFor(deps)).auth.me());
    expect([me.code, me.message]).toEqual(['UNAUTHORIZED', 'Không tìm thấy thông tin xác thực']);
  });

  it('lets exactly one of several concurrent sign-ups with one e-mail win', async () => {
    const email = `race-${Date.now()}@example.com`;
    const caller = await callerFor(deps);
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) =>
        caller.auth.signUp({
          email: i % 2 ? email.toUpperCase() : email,
          password: strongPassword(),
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rows = await deps.db.select().from(schema.users).where(eq(schema.users.email, email));
    expect(rows).toHaveLength(1);
  });

  it('lets exactly one of two concurrent refreshes of one token win', async () => {
    const user = await signUpUser(deps);
    const caller = await callerFor(deps);
    const results = await Promise.allSettled([
      caller.auth.refresh({ refresh_token: user.refreshToken! }),
      caller.auth.refresh({ refresh_token: user.refreshToken! }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
  });

  it('writes reset mail to the dev outbox when no SMTP_URL is set, linking to PUBLIC_URL', async () => {
    expect(deps.mailer.name).toMatch(/^outbox/);
    const user = await signUpUser(deps);
    await (await callerFor(deps)).auth.forgotPassword({ email: user.email });
    const mail = await vi.waitFor(
      async () => {
        const [row] = await deps.db
          .select()
          .from(schema.mailOutbox)
          .where(eq(schema.mailOutbox.to, user.email));
        if (!row) throw new Error('no mail yet');
        return row;
      },
      { timeout: 30_000, interval: 20 },
    );
    const token = /#access_token=([\w-]+)&type=recovery/.exec(mail.text)?.[1];
    expect(mail.text).toContain(`http://localhost:8001/app#access_token=${token}&type=recovery`);
    const fresh = strongPassword();
    await (await callerFor(deps)).auth.resetPassword({ access_token: token!, password: fresh });
    expect(
      (await (await callerFor(deps)).auth.signIn({ email: user.email, password: fresh })).user.id,
    ).toBe(user.userId);
    // Reset tokens are stored hashed, never as sent.
    const stored = await deps.db
      .select()
      .from(schema.passwordResetTokens)
      .where(eq(schema.passwordResetTokens.userId, user.userId));
    expect(stored.map((r) => r.tokenHash)).not.toContain(token);
  });
});

describe('several gateway instances on one database', () => {
  it('share the login throttle, sessions and revocation', async () => {
    const other = await secondInstance();
    const user = await signUpUser(deps);
    const wrong = { email: user.email, password: 'Wrong-Passw0rd' };
    for (let i = 0; i < 5; i++) await appErrorOf(signIn(i % 2 ? other : deps, wrong));
    const locked = await appErrorOf(signIn(other, { email: user.email, password: user.password }));
    expect(locked.code).toBe('RATE_LIMITED');
    expect(
      (await appErrorOf(signIn(deps, { email: user.email, password: user.password }))).code,
    ).toBe('RATE_LIMITED');

    const second = await signUpUser(deps);
    const session = await other.auth.verifyAccessToken(second.token);
    expect(session?.userId).toBe(second.userId);
    await other.auth.signOut(session!);
    expect(await deps.auth.verifyAccessToken(second.token)).toBeNull();
  });

  it('keeps the generated secret in DATA_DIR, so tokens survive a restart without JWT_SECRET', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rag-auth-restart-'));
    tmp.push(dataDir);
    const env = parseEnv({ LOG_LEVEL: 'silent', DATA_DIR: dataDir });
    const make = () =>
      createAuthProvider({
        env,
        db: deps.db,
        mailer: deps.mailer,
        clock: deps.clock,
        log: deps.log,
        dataDir,
      });
    const before = await make();
    const tokens = await before.signUp({
      email: `restart-${Date.now()}@example.com`,
      password: strongPassword(),
    });
    const after = await make();
    expect((await after.verifyAccessToken(tokens.accessToken))?.userId).toBe(tokens.user.id);
    // A different installation (other secret) cannot mint tokens this one accepts.
    expect(await deps.auth.verifyAccessToken(tokens.accessToken)).toBeNull();
  });
});
