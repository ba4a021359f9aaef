// Typed test doubles for unit tests that exercise one port method: every other method of the port
// fails the test loudly, so a double cannot silently stand in for behaviour a test did not give it.
import type { AuthProvider, SearchHit, SearchQuery, VectorIndex } from '@rag/core/testing';

const unexpected = (port: string, method: string) => () =>
  Promise.reject(new Error(`unexpected ${port}.${method} call in this test`));

/** An AuthProvider that does only what the test gives it. */
export function authProviderDouble(given: Partial<AuthProvider>): AuthProvider {
  const no = (method: string) => unexpected('AuthProvider', method);
  return {
    name: 'test-double',
    signUp: no('signUp'),
    signIn: no('signIn'),
    signOut: no('signOut'),
    refresh: no('refresh'),
    verifyAccessToken: no('verifyAccessToken'),
    forgotPassword: no('forgotPassword'),
    resetPassword: no('resetPassword'),
    googleAuthUrl: no('googleAuthUrl'),
    googleCallback: no('googleCallback'),
    googleSignIn: no('googleSignIn'),
    findUsersByEmails: no('findUsersByEmails'),
    ping: no('ping'),
    ...given,
  };
}

/** A read-only index that answers every search with `hits` and records the queries it was sent. */
export function recordingIndex(hits: SearchHit[]): { index: VectorIndex; queries: SearchQuery[] } {
  const queries: SearchQuery[] = [];
  const no = (method: string) => unexpected('VectorIndex', method);
  const index: VectorIndex = {
    name: 'recording',
    search: (q) => {
      queries.push(q);
      return Promise.resolve(hits);
    },
    init: no('init'),
    upsert: no('upsert'),
    deleteByFile: no('deleteByFile'),
    deleteByFilter: no('deleteByFilter'),
    reset: no('reset'),
    count: no('count'),
    fileIds: no('fileIds'),
    purgeFiles: no('purgeFiles'),
    ping: no('ping'),
    close: no('close'),
  };
  return { index, queries };
}
