import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { EventSourceParserStream } from 'eventsource-parser/stream';

import { AskStream, type AskInput } from './ask-stream.js';
import { MSG_ABORTED, MSG_NETWORK_ERROR, RagClientError } from './errors.js';
import { restError } from './rest-errors.js';
import type { AppRouter, AskEvent } from './server-types.js';

type In = inferRouterInputs<AppRouter>;
type Out = inferRouterOutputs<AppRouter>;
type MaybePromise<T> = T | Promise<T>;

/** A query parameter as text: scalars as written, anything else as JSON (never `[object Object]`). */
function queryValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
}

export type RestClientOptions = {
  /** Base URL of the REST API including its prefix, e.g. `http://localhost:8001/api`. */
  baseUrl: string;
  /** Returns the bearer token to send; called per request. */
  getToken?: () => MaybePromise<string | null | undefined>;
  /** Custom fetch. Defaults to the global fetch. */
  fetch?: typeof fetch;
};

/**
 * A typed client for the REST/SSE contract (`/api/...`), for environments that cannot use tRPC.
 * Inputs and outputs are the same types as the tRPC procedures they map to; failures are
 * `RagClientError` with the HTTP status and the contract's message.
 */
export function createRestClient(opts: RestClientOptions) {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const doFetch = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));

  async function send(
    method: string,
    path: string,
    init: {
      json?: unknown;
      form?: FormData;
      query?: Record<string, unknown>;
      signal?: AbortSignal;
    },
  ): Promise<Response> {
    const url = new URL(`${base}${path}`);
    for (const [k, v] of Object.entries(init.query ?? {})) {
      if (v !== undefined && v !== null) url.searchParams.set(k, queryValue(v));
    }
    const token = await opts.getToken?.();
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await doFetch(url, {
        method,
        headers,
        body: init.form ?? (init.json !== undefined ? JSON.stringify(init.json) : undefined),
        signal: init.signal,
      });
    } catch (err) {
      if ((err as { name?: string }).name === 'AbortError') {
        throw new RagClientError(MSG_ABORTED, {
          code: 'ABORTED',
          status: 0,
          path,
          cause: err,
        });
      }
      throw new RagClientError(MSG_NETWORK_ERROR, {
        code: 'NETWORK_ERROR',
        status: 0,
        path,
        cause: err,
      });
    }
    if (!res.ok) throw await restError(res, path);
    return res;
  }
  const json = async <T>(
    method: string,
    path: string,
    init: Parameters<typeof send>[2] = {},
  ): Promise<T> => (await (await send(method, path, init)).json()) as T;
  const seg = encodeURIComponent;

  return {
    auth: {
      signUp: (body: In['auth']['signUp']) =>
        json<Out['auth']['signUp']>('POST', '/auth/signup', { json: body }),
      signIn: (body: In['auth']['signIn']) =>
        json<Out['auth']['signIn']>('POST', '/auth/login', { json: body }),
      me: () => json<Out['auth']['me']>('GET', '/auth/user'),
      /** Without a valid token: a 401 whose `details` are `{ kind: 'no_session' }`. */
      session: () => json<Out['auth']['session']>('GET', '/auth/session'),
    },
    files: {
      /** Multipart upload; pass `upload_id` to follow its stages with the tRPC `files.progress`. */
      upload: (
        file: Blob,
        o: { filename?: string; category?: string; upload_id?: string; signal?: AbortSignal } = {},
      ) => {
        const form = new FormData();
        form.append('file', file, o.filename ?? (file as Partial<File>).name ?? 'upload');
        if (o.category) form.append('category', o.category);
        if (o.upload_id) form.append('upload_id', o.upload_id);
        return json<Out['files']['upload']>('POST', '/upload', { form, signal: o.signal });
      },
      list: () => json<Out['files']['list']>('GET', '/files'),
      /** What the caller's documents take, against the server's per-user limits. */
      usage: () => json<Out['files']['usage']>('GET', '/storage'),
      delete: (filename: string) =>
        json<Out['files']['delete']>('DELETE', `/files/${seg(filename)}`),
    },
    conversations: {
      list: (query: In['conversations']['list'] = {}) =>
        json<Out['conversations']['list']>('GET', '/conversations', { query }),
      /** The newest messages (`limit`, at most 500), or those before the sequence `before`. */
      get: (
        conversationId: string,
        query: Omit<In['conversations']['get'], 'conversation_id'> = {},
      ) =>
        json<Out['conversations']['get']>('GET', `/conversations/${seg(conversationId)}`, {
          query,
        }),
      delete: (conversationId: string) =>
        json<Out['conversations']['delete']>('DELETE', `/conversations/${seg(conversationId)}`),
    },
    ask: {
      /** `POST /ask/stream` read as SSE: the same `AskStream` as the tRPC helper. */
      stream: (input: AskInput, o: { signal?: AbortSignal } = {}) =>
        new AskStream((h) => {
          const stop = new AbortController();
          const { max_sources, ...body } = input;
          void (async () => {
            const res = await send('POST', '/ask/stream', {
              json: body,
              query: { max_sources },
              signal: stop.signal,
            });
            if (!res.body)
              throw new RagClientError(MSG_NETWORK_ERROR, {
                code: 'NETWORK_ERROR',
                status: 0,
                path: '/ask/stream',
              });
            const messages = res.body
              .pipeThrough(new TextDecoderStream())
              .pipeThrough(new EventSourceParserStream());
            // A reader loop: Safari cannot `for await` a ReadableStream.
            const reader = messages.getReader();
            for (let r = await reader.read(); !r.done; r = await reader.read()) {
              const data: unknown = JSON.parse(r.value.data);
              h.onData({ event: r.value.event, data } as AskEvent);
            }
            h.onComplete();
          })().catch((err: unknown) => {
            if (!stop.signal.aborted) h.onError(err);
          });
          return () => stop.abort();
        }, o),
    },
  };
}

export type RestClient = ReturnType<typeof createRestClient>;
