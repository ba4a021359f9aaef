import {
  createTRPCClient,
  httpBatchLink,
  httpLink,
  httpSubscriptionLink,
  isNonJsonSerializable,
  splitLink,
  TRPCClientError,
} from '@trpc/client';
import superjson from 'superjson';

import type { AppErrorCode, AppRouter } from '@rag/core';

import { askOnceLink } from './ask-once-link';

export type { AppRouter, RouterInputs, RouterOutputs } from '@rag/core';

type FetchLike = typeof fetch;
type TokenGetter = () => string | null | undefined | Promise<string | null | undefined>;

/** Any constructor compatible with the WHATWG EventSource (browsers' global, or the `eventsource` package on Node). */
export type EventSourceLike = new (url: string, init?: Record<string, unknown>) => EventSource;

export type RagClientOptions = {
  /** Base URL of the gateway's tRPC endpoint, e.g. `http://localhost:8001/trpc`. */
  url: string;
  /** Returns the bearer token to send (access token or service key); called per request. */
  getToken?: TokenGetter;
  /** Custom fetch (tests, proxies, older runtimes). Defaults to the global fetch. */
  fetch?: FetchLike;
  /**
   * EventSource implementation for subscriptions. Browsers have one; on Node 20 pass
   * `EventSource` from the `eventsource` package (v4), which also lets the token travel as a header.
   */
  EventSource?: EventSourceLike;
  /** Extra headers for every request. */
  headers?: Record<string, string>;
};

async function authHeaders(opts: RagClientOptions): Promise<Record<string, string>> {
  const token = await opts.getToken?.();
  return { ...(opts.headers ?? {}), ...(token ? { authorization: `Bearer ${token}` } : {}) };
}

/** The typed client for every procedure: queries/mutations batched, FormData uploads, SSE subscriptions. */
export function createRagClient(opts: RagClientOptions) {
  const baseFetch: FetchLike = opts.fetch ?? globalThis.fetch.bind(globalThis);
  const headers = () => authHeaders(opts);
  return createTRPCClient<AppRouter>({
    links: [
      askOnceLink,
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url: opts.url,
          transformer: superjson,
          EventSource: opts.EventSource ?? globalThis.EventSource,
          // Browsers' EventSource cannot send headers, so the token also travels as a connection param.
          connectionParams: async () => {
            const h = await headers();
            return h.authorization ? { authorization: h.authorization } : {};
          },
          eventSourceOptions: async () => {
            const h = await headers();
            return {
              fetch: (input: RequestInfo | URL, init?: RequestInit) =>
                baseFetch(input, {
                  ...init,
                  headers: { ...(init?.headers as Record<string, string>), ...h },
                }),
            };
          },
        }),
        false: splitLink({
          condition: (op) => isNonJsonSerializable(op.input),
          true: httpLink({ url: opts.url, transformer: superjson, headers, fetch: baseFetch }),
          false: httpBatchLink({
            url: opts.url,
            transformer: superjson,
            headers,
            fetch: baseFetch,
          }),
        }),
      }),
    ],
  });
}

export type RagClient = ReturnType<typeof createRagClient>;

/** True when `err` is a client error carrying the given domain code (e.g. 'NOT_FOUND'). */
export function isAppError(err: unknown, code?: AppErrorCode): err is TRPCClientError<AppRouter> {
  if (!(err instanceof TRPCClientError)) return false;
  const appCode = (err.data as { appCode?: string | null } | undefined)?.appCode;
  return code ? appCode === code : Boolean(appCode);
}

export { TRPCClientError };
export { ASK_CONNECTION_LOST } from './ask-once-link';
