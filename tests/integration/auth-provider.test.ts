import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createAuthProvider, parseEnv, signIn, type AuthProvider, type Database } from '@rag/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';

import { openTemplateDatabase } from '../support/harness';
import { signUpUser } from '../support/users';

let database: Database;
let auth: AuthProvider;
let dataDir: string;
const log = pino({ level: 'silent' });
const env = parseEnv({ LOG_LEVEL: 'silent' });
const clock = { now: () => new Date() };

beforeAll(async () => {
  database = await openTemplateDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'rag-auth-'));
  const mailer = { name: 'test', send: async () => undefined };
  auth = await createAuthProvider({ env, db: database.db, mailer, clock, log, dataDir });
});
afterAll(async () => {
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('createAuthProvider (local)', () => {
  it('signs up, signs in, verifies tokens and finds users by e-mail', async () => {
    const deps = { auth, db: database.db, clock, env, log };
    const user = await signUpUser(deps);
    const session = await auth.verifyAccessToken(user.token);
    expect(session).toMatchObject({ userId: user.userId, email: user.email });
    const again = await signIn(deps, { email: user.email.toUpperCase(), password: user.password });
    expect(again.user.id).toBe(user.userId);
    expect(await auth.findUsersByEmails([user.email, 'nobody@example.com'])).toEqual(
      new Map([[user.email, user.userId]]),
    );
    await auth.ping();
    await auth.signOut(session!);
    expect(await auth.verifyAccessToken(user.token)).toBeNull();
    expect(await auth.verifyAccessToken(again.access_token)).not.toBeNull();
  });
});
