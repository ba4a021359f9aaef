import { EventSourceParserStream } from 'eventsource-parser/stream';

export type SseMessage = { event: string; data: Record<string, unknown> };

/**
 * UTF-8 bytes to text. TextDecoderStream would do, but its writable side is typed for ArrayBuffer-backed
 * chunks only, while response bodies are typed `Uint8Array<ArrayBufferLike>`.
 */
function utf8Decoder(): TransformStream<Uint8Array, string> {
  const decoder = new TextDecoder();
  return new TransformStream({
    transform: (chunk, out) => out.enqueue(decoder.decode(chunk, { stream: true })),
    flush: (out) => {
      const rest = decoder.decode();
      if (rest) out.enqueue(rest);
    },
  });
}

/** Parses an SSE response body into events (JSON data), plus the comment lines seen. */
export async function* readSse(
  body: ReadableStream<Uint8Array>,
  onComment?: (comment: string) => void,
): AsyncGenerator<SseMessage> {
  const events = body
    .pipeThrough(utf8Decoder())
    .pipeThrough(new EventSourceParserStream({ onComment }));
  for await (const m of events) {
    yield { event: m.event ?? 'message', data: JSON.parse(m.data) as Record<string, unknown> };
  }
}

export type AskOptions = {
  token?: string;
  query?: Record<string, string | number>;
  signal?: AbortSignal;
  prefix?: string;
};

/** `POST /ask/stream` with a JSON body; returns the raw response. */
export async function postAsk(
  baseUrl: string,
  body: unknown,
  opts: AskOptions = {},
): Promise<Response> {
  const qs = opts.query
    ? `?${new URLSearchParams(Object.entries(opts.query).map(([k, v]) => [k, String(v)]))}`
    : '';
  return fetch(`${baseUrl}${opts.prefix ?? '/api'}/ask/stream${qs}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
    },
    body: JSON.stringify(body),
    signal: opts.signal,
  });
}

export type AskResult = {
  status: number;
  events: SseMessage[];
  /** The concatenated `content` pieces. */
  answer: string;
  byName(name: string): Record<string, unknown>[];
};

/** Asks and reads the whole stream (or the JSON error body when the status is not 200). */
export async function ask(
  baseUrl: string,
  body: unknown,
  opts: AskOptions = {},
): Promise<AskResult & { json?: unknown }> {
  const res = await postAsk(baseUrl, body, opts);
  if (res.status !== 200 || !res.body) {
    return { status: res.status, events: [], answer: '', byName: () => [], json: await res.json() };
  }
  const events: SseMessage[] = [];
  for await (const e of readSse(res.body)) events.push(e);
  return {
    status: res.status,
    events,
    answer: events
      .filter((e) => e.event === 'content')
      .map((e) => String(e.data.content))
      .join(''),
    byName: (name) => events.filter((e) => e.event === name).map((e) => e.data),
  };
}
