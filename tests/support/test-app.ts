import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';

import { pino, type Logger } from 'pino';
import { afterAll, beforeAll, expect, onTestFinished } from 'vitest';

import type { Deps, DepsOverrides } from '@rag/core';
import { createApp } from '@rag/gateway';

import {
  callerFor,
  createTestDeps,
  keepIdleConnections,
  startGateway,
  type RunningGateway,
  type TestEnv,
} from './harness';
import { signUpUser, type TestUser } from './users';

/**
 * Disposable test resources: a database, the real deps and (by default) the gateway on port 0, torn down
 * in reverse order when the scope ends. Per test: `const app = await testApp()` (disposed when the test
 * finishes) or `await using app = await openTestApp()`. Per file: `const app = useTestApp()` (opened in
 * `beforeAll`, disposed in `afterAll`).
 */
export type TestAppOptions = {
  env?: TestEnv;
  overrides?: DepsOverrides;
  /** Start the Express app on port 0 (default true). */
  gateway?: boolean;
};

export type TestApp = AsyncDisposable & {
  readonly deps: Deps;
  /** The running gateway (only when `gateway` was not false). */
  readonly gw: RunningGateway;
  /** `http://127.0.0.1:<port>` of the gateway. */
  readonly url: string;
  /** A new user with a unique e-mail, signed up through the real use-case. */
  signUp(email?: string): Promise<TestUser>;
  /** A typed in-process caller as `token` (or anonymous). */
  caller(token?: string | null): ReturnType<typeof callerFor>;
  /** Runs `fn` when the app is disposed, before the app's own tear-down (last registered, first run). */
  defer(fn: () => unknown): void;
  close(): Promise<void>;
};

/** Runs clean-ups last-in first-out; every one runs even if an earlier one fails. */
function cleanupStack() {
  const stack: (() => unknown)[] = [];
  let done: Promise<void> | undefined;
  return {
    push: (fn: () => unknown) => void stack.push(fn),
    run: () =>
      (done ??= (async () => {
        const errors: unknown[] = [];
        for (const fn of stack.reverse()) {
          try {
            await fn();
          } catch (e) {
            errors.push(e);
          }
        }
        if (errors.length) throw new AggregateError(errors, 'test clean-up failed');
      })()),
  };
}

function appOf(
  deps: Deps,
  gw: RunningGateway | undefined,
  cleanup: ReturnType<typeof cleanupStack>,
) {
  const app: TestApp = {
    deps,
    get gw() {
      if (!gw) throw new Error('this test app was opened without a gateway');
      return gw;
    },
    get url() {
      return app.gw.url;
    },
    signUp: (email) => signUpUser(deps, email),
    caller: (token) => callerFor(deps, token),
    defer: cleanup.push,
    close: cleanup.run,
    [Symbol.asyncDispose]: cleanup.run,
  };
  return app;
}

export async function openTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const cleanup = cleanupStack();
  const deps = await createTestDeps(options.env, options.overrides);
  cleanup.push(() => deps.close());
  let gw: RunningGateway | undefined;
  if (options.gateway !== false) {
    try {
      gw = await startGateway(deps);
    } catch (e) {
      await cleanup.run();
      throw e;
    }
    const started = gw;
    cleanup.push(() => started.close());
  }
  return appOf(deps, gw, cleanup);
}

/** An app for the running test only: disposed when the test finishes, passed or failed. */
export async function testApp(options: TestAppOptions = {}): Promise<TestApp> {
  const app = await openTestApp(options);
  onTestFinished(() => app.close());
  return app;
}

/** One app for the whole file: opened before its first test, disposed after its last. */
export function useTestApp(options: TestAppOptions | (() => TestAppOptions) = {}): TestApp {
  let current: TestApp | undefined;
  const get = () => {
    if (!current)
      throw new Error('useTestApp: the app is opened in beforeAll; use it inside tests');
    return current;
  };
  beforeAll(async () => {
    current = await openTestApp(typeof options === 'function' ? options() : options);
  });
  afterAll(async () => {
    await current?.close();
  });
  return {
    get deps() {
      return get().deps;
    },
    get gw() {
      return get().gw;
    },
    get url() {
      return get().url;
    },
    signUp: (email) => get().signUp(email),
    caller: (token) => get().caller(token),
    defer: (fn) => get().defer(fn),
    close: () => get().close(),
    [Symbol.asyncDispose]: () => get().close(),
  };
}

/**
 * A port taken before the deps exist, for settings that must name the gateway's own URL (an OIDC
 * client's redirect URI, a mail link's origin). `serve(deps)` then answers on it with the real app.
 */
export async function reserveGateway(): Promise<{
  url: string;
  serve(deps: Deps): RunningGateway;
}> {
  const server: Server = createServer();
  keepIdleConnections(server);
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    serve(deps) {
      server.on('request', createApp(deps));
      return {
        url,
        deps,
        async close() {
          server.closeAllConnections();
          await new Promise<void>((resolve) => server.close(() => resolve()));
        },
      };
    },
  };
}

/** A logger that keeps every line, so a test can wait for what the server says instead of a clock. */
export function captureLog(level: pino.LevelWithSilent = 'info'): {
  log: Logger;
  text(): string;
  /** Resolves once a line containing `fragment` was logged (polled, generous bound). */
  waitFor(fragment: string): Promise<void>;
} {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const text = () => lines.join('');
  return {
    log: pino({ level }, sink),
    text,
    async waitFor(fragment) {
      await expect.poll(text).toContain(fragment);
    },
  };
}
