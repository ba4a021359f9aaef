import type { Deps } from '../../ports/deps';

/** What the auth use-cases need (a subset of Deps, so unit tests can pass less). */
export type AuthDeps = Pick<Deps, 'auth' | 'loginAttempts' | 'clock' | 'env' | 'log'>;
