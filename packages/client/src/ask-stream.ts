import type { inferRouterInputs } from '@trpc/server';

import type { RagClient } from './create-client.js';
import { MSG_ABORTED, RagClientError, toRagClientError } from './errors.js';
import type { AppRouter, AskEvent } from './server-types.js';

export type AskInput = inferRouterInputs<AppRouter>['ask']['stream'];
type EventData<E extends AskEvent['event']> = Extract<AskEvent, { event: E }>['data'];
export type AskStartData = EventData<'start'>;
export type AskSourcesData = EventData<'sources'>;
export type AskSource = AskSourcesData['sources'][number];
export type AskEndData = EventData<'end'>;
export type AskErrorData = EventData<'error'>;

/** Starts an answer stream and feeds its events to the handlers; returns a function that stops it. */
export type AskEventSource = (handlers: {
  onData: (event: AskEvent) => void;
  onError: (err: unknown) => void;
  onComplete: () => void;
}) => () => void;

/** Promise + its settle functions, created eagerly so callers may ask before the event arrives. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  promise.catch(() => undefined); // rejections surface where callers await them, not as unhandled
  return { promise, resolve, reject };
}

/**
 * One answer being streamed (`ask.stream`). Iterate it for typed events (`start`, `sources`,
 * `content`…, then `end` or `error`), or await `finalAnswer()` / `sources()` / `done()`; `abort()`
 * stops it (the server saves the partial answer as interrupted). Iterating more than once replays
 * from the first event. Iteration and the promises reject with `RagClientError`.
 */
export class AskStream implements AsyncIterable<AskEvent> {
  private readonly events: AskEvent[] = [];
  private wake: (() => void) | null = null;
  private finished = false;
  private failure: RagClientError | null = null;
  private readonly unsubscribe: () => void;
  private readonly answer = deferred<string>();
  private readonly sourcesReady = deferred<AskSource[]>();
  private readonly startReady = deferred<AskStartData>();
  private readonly end = deferred<AskEndData>();
  private text = '';

  /**
   * @param source starts the answer and reports its events; returns how to stop it. `askStream`
   * (tRPC) and `createRestClient().ask.stream` (SSE over fetch) are the two sources.
   */
  constructor(source: AskEventSource, opts: { signal?: AbortSignal } = {}) {
    this.unsubscribe = source({
      onData: (event) => this.push(event),
      onError: (err) => this.finish(toRagClientError(err)),
      onComplete: () => this.finish(null),
    });
    if (opts.signal?.aborted) this.abort();
    else opts.signal?.addEventListener('abort', () => this.abort(), { once: true });
  }

  /** Stops the answer; pending promises and iterators reject with `ABORTED` unless it had ended. */
  abort(): void {
    if (this.finished) return;
    // Settle first: unsubscribing completes the subscription, which must not read as a normal end.
    this.finish(
      new RagClientError(MSG_ABORTED, { code: 'ABORTED', status: 0, path: 'ask.stream' }),
    );
    this.unsubscribe();
  }

  /** The whole answer text once the stream has ended. */
  finalAnswer(): Promise<string> {
    return this.answer.promise;
  }

  /** The sources the answer is based on, as soon as they are sent (before the text). */
  sources(): Promise<AskSource[]> {
    return this.sourcesReady.promise;
  }

  /** The ids of the question and its conversation, as soon as the stream starts. */
  started(): Promise<AskStartData> {
    return this.startReady.promise;
  }

  /** The `end` event: processing time and related questions. */
  done(): Promise<AskEndData> {
    return this.end.promise;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<AskEvent> {
    for (let i = 0; ; i++) {
      while (i >= this.events.length && !this.finished) {
        await new Promise<void>((resolve) => {
          const prev = this.wake;
          this.wake = () => (prev?.(), resolve());
        });
      }
      const event = this.events[i];
      if (event) yield event;
      else if (this.failure) throw this.failure;
      else return;
    }
  }

  private push(event: AskEvent): void {
    if (this.finished) return;
    this.events.push(event);
    switch (event.event) {
      case 'start':
        this.startReady.resolve(event.data);
        break;
      case 'sources':
        this.sourcesReady.resolve(event.data.sources);
        break;
      case 'content':
        this.text += event.data.content;
        break;
      case 'end':
        this.end.resolve(event.data);
        this.answer.resolve(this.text);
        this.finish(null);
        this.unsubscribe();
        return;
      case 'error':
        // Settle before unsubscribing, whose completion would otherwise read as a lost connection.
        this.finish(
          new RagClientError(event.data.message, {
            code: 'UPSTREAM_FAILED',
            status: 502,
            path: 'ask.stream',
            body: { ...event.data },
          }),
        );
        this.unsubscribe();
        return;
    }
    this.notify();
  }

  private finish(error: RagClientError | null): void {
    if (this.finished) return;
    this.finished = true;
    const ended =
      error ??
      new RagClientError('Luồng trả lời kết thúc trước khi có câu trả lời', {
        code: 'CONNECTION_LOST',
        status: 0,
        path: 'ask.stream',
      });
    if (error && this.events.at(-1)?.event !== 'end') this.failure = error;
    // Promises that never got their event settle now: sources may legitimately be absent.
    this.sourcesReady.resolve([]);
    this.startReady.reject(ended);
    this.end.reject(ended);
    this.answer.reject(ended);
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}

/**
 * Asks a question and streams the answer, in the style of openai-node's stream helpers:
 *
 * ```ts
 * const stream = askStream(client, { question, file_id: [fileId] });
 * for await (const e of stream) if (e.event === 'content') process.stdout.write(e.data.content);
 * const sources = await stream.sources();
 * ```
 */
export function askStream(
  client: RagClient,
  input: AskInput,
  opts: { signal?: AbortSignal } = {},
): AskStream {
  return new AskStream((h) => {
    const sub = client.ask.stream.subscribe(input, h);
    return () => sub.unsubscribe();
  }, opts);
}
