import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import {
  createAuthProvider,
  parseEnv,
  signIn,
  type AuthDeps,
  type AuthProvider,
  type Database,
  type MailMessage,
} from '@rag/core';

import { createOAuthFlowStore } from '../../packages/core/src/adapters/auth/oauth-flows';
import { createPostgresLoginAttempts } from '../../packages/core/src/adapters/postgres/login-attempts';
import { testDatabases } from '../support/databases';
import { appErrorOf, manualClock, strongPassword } from '../support/users';

/** The local provider's SQL (users, sessions, throttle, reset tokens, OAuth flows) on every database we support. */
describe.each(testDatabases())('local auth storage on $name', ({ open }) => {
  const clock = manualClock();
  const mails: MailMessage[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'rag-auth-repo-'));
  const env = parseEnv({ LOG_LEVEL: 'silent', DATA_DIR: dataDir, ACCESS_TOKEN_TTL_S: '60' });
  let database: Database;
  let auth: AuthProvider;
  let deps: AuthDeps;
  const email = (tag: string) => `${tag}-${Math.random().toString(36).slice(2)}@example.com`;

  beforeAll(async () => {
    database = await open();
    const mailer = { name: 'memory', send: async (m: MailMessage) => void mails.push(m) };
    const log = pino({ level: 'silent' });
    auth = await createAuthProvider({ env, db: database.db, mailer, clock, log, dataDir });
    deps = { auth, loginAttempts: createPostgresLoginAttempts(database.db), clock, env, log };
  });
  afterAll(async () => {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores users with unique e-mails and finds them', async () => {
    const address = email('unique');
    const user = await auth.signUp({ email: address, password: strongPassword() });
    const dup = await appErrorOf(auth.signUp({ email: address, password: strongPassword() }));
    expect(dup.message).toBe('Lỗi khi đăng ký tài khoản: Email này đã được đăng ký');
    expect(await auth.findUsersByEmails([address, email('absent')])).toEqual(
      new Map([[address, user.user.id]]),
    );
    await expect(auth.ping()).resolves.toBeUndefined();
  });

  it('opens, verifies, rotates, expires and revokes sessions', async () => {
    const password = strongPassword();
    const up = await auth.signUp({ email: email('sess'), password });
    const login = await auth.signIn({ email: up.user.email, password });
    const third = await auth.signIn({ email: up.user.email, password });
    expect((await auth.verifyAccessToken(up.accessToken))?.userId).toBe(up.user.id);

    const other = await auth.signUp({ email: email('other'), password: strongPassword() });
    await expect(auth.refresh(up.refreshToken!, other.user.id)).rejects.toThrow();
    const next = await auth.refresh(up.refreshToken!, up.user.id);
    // Reusing the rotated-out token is refused and revokes that session (token-family reuse).
    await expect(auth.refresh(up.refreshToken!)).rejects.toThrow();
    await expect(auth.refresh(next.refreshToken!)).rejects.toThrow();

    clock.advance(61);
    expect(await auth.verifyAccessToken(login.accessToken)).toBeNull();
    const again = await auth.refresh(login.refreshToken!);
    const session = await auth.verifyAccessToken(again.accessToken);
    await auth.signOut(session!);
    expect(await auth.verifyAccessToken(again.accessToken)).toBeNull();
    // The other sessions of the same user live on.
    await expect(auth.refresh(third.refreshToken!)).resolves.toMatchObject({
      user: { id: up.user.id },
    });
  });

  it('throttles logins per e-mail within the window', async () => {
    const password = strongPassword();
    const up = await auth.signUp({ email: email('throttle'), password });
    for (let i = 0; i < 5; i++)
      await appErrorOf(signIn(deps, { email: up.user.email, password: 'Wrong-Passw0rd' }));
    expect((await appErrorOf(signIn(deps, { email: up.user.email, password }))).code).toBe(
      'RATE_LIMITED',
    );
    clock.advance(env.LOGIN_WINDOW_S + 1);
    expect((await signIn(deps, { email: up.user.email, password })).user.id).toBe(up.user.id);
  });

  it('resets passwords with single-use tokens inside a transaction', async () => {
    const password = strongPassword();
    const up = await auth.signUp({ email: email('reset'), password });
    await auth.forgotPassword({ email: up.user.email });
    const mail = await vi.waitFor(
      () => {
        const found = mails.find((m) => m.to === up.user.email);
        if (!found) throw new Error('no mail yet');
        return found;
      },
      { timeout: 30_000, interval: 20 },
    );
    const token = /\): (\S+)/.exec(mail.text)![1]!;
    expect((await appErrorOf(auth.resetPassword({ accessToken: token, password }))).message).toBe(
      'Mật khẩu mới phải khác mật khẩu cũ',
    );
    const fresh = strongPassword();
    await auth.resetPassword({ accessToken: token, password: fresh });
    expect(await auth.verifyAccessToken(up.accessToken)).toBeNull();
    expect(
      (await appErrorOf(auth.resetPassword({ accessToken: token, password: strongPassword() })))
        .code,
    ).toBe('UNAUTHORIZED');
    expect((await auth.signIn({ email: up.user.email, password: fresh })).user.id).toBe(up.user.id);
  });

  it('keeps OAuth flows single-use and expiring', async () => {
    const flows = createOAuthFlowStore(database.db, clock);
    const flow = {
      state: `s-${Math.random()}`,
      codeVerifier: 'v',
      nonce: 'n',
      redirectUrl: 'http://x/cb',
      provider: 'google',
    };
    await flows.save(flow);
    expect(await flows.take(flow.state)).toEqual(flow);
    expect(await flows.take(flow.state)).toBeNull();
    await flows.save({ ...flow, state: `${flow.state}-late` });
    clock.advance(601);
    expect(await flows.take(`${flow.state}-late`)).toBeNull();
  });
});
