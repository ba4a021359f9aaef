import { createKeyedLock } from '../../lib/keyed-lock';
import type { AttemptWindow, LoginAttempts } from '../../ports/login-attempts';

type Attempt = { id: number; email: string; clientIp: string; succeeded: boolean; at: Date };

const oldestOf = (rows: { at: Date }[]) =>
  rows.reduce<Date | null>(
    (min, a) => (min === null || a.at.getTime() < min.getTime() ? a.at : min),
    null,
  );

/** Login attempts of one process, for fast throttle tests (the Postgres store shares them across gateways). */
export function createMemoryLoginAttempts(): LoginAttempts {
  let attempts: Attempt[] = [];
  let signups: { id: number; clientIp: string; at: Date }[] = [];
  let nextId = 1;
  const inWindow = (a: Attempt, w: AttemptWindow) =>
    a.at.getTime() > w.since.getTime() && a.id <= w.upTo;
  const lock = createKeyedLock();
  const store: LoginAttempts = {
    serialized: (keys, fn) => lock(keys, () => fn(store)),
    prune(before) {
      attempts = attempts.filter((a) => a.at.getTime() >= before.getTime());
      signups = signups.filter((a) => a.at.getTime() >= before.getTime());
      return Promise.resolve();
    },
    recordSignup(clientIp, at) {
      const id = nextId++;
      signups.push({ id, clientIp, at });
      return Promise.resolve(id);
    },
    signups(clientIp, window) {
      const rows = signups.filter(
        (a) =>
          a.clientIp === clientIp && a.at.getTime() > window.since.getTime() && a.id <= window.upTo,
      );
      const oldest = oldestOf(rows);
      return Promise.resolve({ n: rows.length, oldest });
    },
    removeSignup(id) {
      signups = signups.filter((a) => a.id !== id);
      return Promise.resolve();
    },
    record(email, clientIp, at) {
      const id = nextId++;
      attempts.push({ id, email, clientIp, succeeded: false, at });
      return Promise.resolve(id);
    },
    recentOfPair(email, clientIp, window, limit) {
      const rows = attempts
        .filter((a) => a.email === email && a.clientIp === clientIp && inWindow(a, window))
        .sort((a, b) => b.id - a.id)
        .slice(0, limit)
        .map(({ id, succeeded, at }) => ({ id, succeeded, at }));
      return Promise.resolve(rows);
    },
    failures(by, window) {
      const rows = attempts.filter(
        (a) =>
          !a.succeeded &&
          inWindow(a, window) &&
          ('email' in by ? a.email === by.email : a.clientIp === by.clientIp),
      );
      const oldest = oldestOf(rows);
      return Promise.resolve({ n: rows.length, oldest });
    },
    markSucceeded(id) {
      for (const a of attempts) if (a.id === id) a.succeeded = true;
      return Promise.resolve();
    },
    remove(id) {
      attempts = attempts.filter((a) => a.id !== id);
      return Promise.resolve();
    },
    clearAccount(email) {
      attempts = attempts.filter((a) => a.email !== email);
      return Promise.resolve();
    },
  };
  return store;
}
