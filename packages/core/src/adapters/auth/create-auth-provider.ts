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

/** Supabase Auth when `SUPABASE_URL` and `SUPABASE_KEY` are both set, else the embedded local provider. */
export async function createAuthProvider(opts: AuthProviderOptions): Promise<AuthProvider> {
  const { env } = opts;
  if (env.SUPABASE_URL && env.SUPABASE_KEY) {
    // Loaded only when chosen: supabase-js is heavy and warns about Node 20 as soon as it is imported.
    const { createSupabaseAuthProvider } = await import('./supabase/supabase-auth-provider');
    return createSupabaseAuthProvider({ ...opts, url: env.SUPABASE_URL, key: env.SUPABASE_KEY });
  }
  if (env.SUPABASE_URL || env.SUPABASE_KEY) {
    opts.log.warn(
      'SUPABASE_URL and SUPABASE_KEY must both be set to use Supabase Auth; using local auth',
    );
  }
  return createLocalAuthProvider(opts);
}
