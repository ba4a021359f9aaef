import type { Logger } from 'pino';

import type { Db } from '../../db/database';
import type { Env } from '../../env';
import type { AuthProvider } from '../../ports/auth-provider';
import type { Clock } from '../../ports/clock';
import type { Mailer } from '../../ports/mailer';
import { createLocalAuthProvider } from './local/local-auth-provider';

export type AuthProviderOptions = {
  env: Env;
  db: Db;
  mailer: Mailer;
  clock: Clock;
  log: Logger;
  dataDir: string;
};

/** The embedded local provider (Supabase Auth is selected by SUPABASE_URL + SUPABASE_KEY once it lands). */
export async function createAuthProvider(opts: AuthProviderOptions): Promise<AuthProvider> {
  return Promise.resolve(createLocalAuthProvider(opts));
}
