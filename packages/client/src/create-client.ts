import {
  createTRPCClient,
  httpBatchLink,
  httpLink,
  httpSubscriptionLink,
  isNonJsonSerializable,
  splitLink,
  type TRPCClient,
  type TRPCLink,
} from '@trpc/client';
import superjson from 'superjson';

import { askOnceLink } from './ask-once-link.js';
import { ragErrorLink } from './errors.js';
import type { AppRouter } from './server-types.js';

type FetchLike = typeof fetch;
type MaybePromise<T> = T | Promise<T>;

/** Any constructor compatible with the WHATWG EventSource (browsers' global, or the `eventsource` package on Node 20). */
export type EventSourceLike = new (url: string, init?: Record<string, unknown>) => EventSource;

export type RagClientOptions = {
  /** Base URL of the gateway's tRPC endpoint, e.g. `http://localhost:8001/trpc`. */
  url: string;
  /** Returns the bearer token to send (access token or service key); called per request. */
  getToken?: () => MaybePromise<string | null | undefined>;
  /** Custom fetch (tests, proxies, older runtimes). Defaults to the global fetch. */
  fetch?: FetchLike;
  /**
   * EventSource implementation for subscriptions (answers, upload progress). Browsers, Deno, Bun and
   * Node ≥ 22 have one; on Node 20 pass `EventSource` from the `eventsource` package (v4), which also
   * lets the token travel as a header.
   */
  EventSource?: EventSourceLike;
  /** Extra headers for every request. */
  headers?: Record<string, string>;
};

export type RagClient = TRPCClient<AppRouter>;

async function authHeaders(opts: RagClientOptions): Promise<Record<string, string>> {
  const token = await opts.getToken?.();
  return { ...(opts.headers ?? {}), ...(token ? { authorization: `Bearer ${token}` } : {}) };
}

/**
 * The links `createRagClient` uses, for people who assemble their own client (React Query,
 * `@trpc/tanstack-react-query`): typed errors, the re-ask-safe answer stream, SSE subscriptions,
 * FormData uploads and batched queries.
 */
export function ragLinks(opts: RagClientOptions): TRPCLink<AppRouter>[] {
  const baseFetch: FetchLike = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const headers = () => authHeaders(opts);
  return [
    ragErrorLink,
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
        false: httpBatchLink({ url: opts.url, transformer: superjson, headers, fetch: baseFetch }),
      }),
    }),
  ];
}

/** The typed client for every procedure: queries/mutations batched, FormData uploads, SSE subscriptions. */
export function createRagClient(opts: RagClientOptions): RagClient {
  return createTRPCClient<AppRouter>({ links: ragLinks(opts) });
}
