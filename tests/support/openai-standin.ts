import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An OpenAI-compatible chat-completions server speaking the real wire protocol (JSON replies, and
 * `data: {chunk}` SSE lines ending with `data: [DONE]` when `stream: true`), scripted per request.
 */

export type ChatRequest = {
  model: string;
  stream?: boolean;
  temperature?: number;
  max_tokens?: number;
  messages: { role: string; content: string }[];
};

export type Reply =
  /**
   * A streamed answer, one chunk per piece; optionally failing after `failAfter` pieces, or holding the
   * stream open after `holdAfter` pieces until the client goes away (a mid-stream state reached by
   * events, not by a slow stream racing the test).
   */
  | {
      kind: 'stream';
      pieces: string[];
      holdAfter?: number;
      failAfter?: number;
      failWith?: 'error-event' | 'drop';
    }
  /** A non-streamed answer. */
  | { kind: 'text'; content: string }
  /** An HTTP error with the OpenAI error body. */
  | { kind: 'status'; status: number; message: string; headers?: Record<string, string> };

export type Responder = (req: ChatRequest, index: number) => Reply;

export type OpenAiStandin = {
  url: string;
  /** Every chat request received, in order. */
  requests: ChatRequest[];
  /** Streams whose client went away before the stream finished. */
  abortedStreams: number;
  /** Replaces the responder (default: a fixed cited answer). */
  respond(fn: Responder): void;
  close(): Promise<void>;
};

const defaultResponder: Responder = (req) =>
  req.stream
    ? {
        kind: 'stream',
        pieces: ['Based on the documents, ', 'the answer is here ', '(file doc.md).'],
      }
    : { kind: 'text', content: '1. What else?\n2. Why so?\n3. How then?' };

function chunk(id: string, model: string, delta: Record<string, string>, finish: string | null) {
  return JSON.stringify({
    id,
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });
}

async function readJson(req: IncomingMessage): Promise<ChatRequest> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return JSON.parse(Buffer.concat(parts).toString('utf8')) as ChatRequest;
}

async function stream(
  res: ServerResponse,
  body: ChatRequest,
  reply: Extract<Reply, { kind: 'stream' }>,
  onAbort: () => void,
) {
  const id = `chatcmpl-${Math.random().toString(36).slice(2)}`;
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  let finished = false;
  res.on('close', () => {
    if (!finished) onAbort();
  });
  res.write(`data: ${chunk(id, body.model, { role: 'assistant', content: '' }, null)}\n\n`);
  for (const [i, piece] of reply.pieces.entries()) {
    if (reply.failAfter !== undefined && i === reply.failAfter) {
      finished = true;
      if (reply.failWith === 'drop') {
        res.socket?.destroy();
        return;
      }
      res.write(
        `data: ${JSON.stringify({ error: { message: 'The server had an error while processing your request.', type: 'server_error' } })}\n\n`,
      );
      res.end();
      return;
    }
    if (reply.holdAfter !== undefined && i === reply.holdAfter) {
      if (!res.closed) await new Promise((resolve) => res.once('close', resolve));
      return;
    }
    if (res.destroyed) return;
    res.write(`data: ${chunk(id, body.model, { content: piece }, null)}\n\n`);
  }
  res.write(`data: ${chunk(id, body.model, {}, 'stop')}\n\n`);
  res.write('data: [DONE]\n\n');
  finished = true;
  res.end();
}

export async function startOpenAiStandin(): Promise<OpenAiStandin> {
  let responder = defaultResponder;
  const state = { requests: [] as ChatRequest[], abortedStreams: 0 };
  const server = createServer((req, res) => {
    void (async () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res
          .writeHead(404, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: { message: 'Not found' } }));
        return;
      }
      const body = await readJson(req);
      const index = state.requests.push(body) - 1;
      const reply = responder(body, index);
      if (reply.kind === 'status') {
        res.writeHead(reply.status, {
          'content-type': 'application/json',
          ...(reply.headers ?? {}),
        });
        res.end(
          JSON.stringify({
            error: { message: reply.message, type: 'error', code: String(reply.status) },
          }),
        );
        return;
      }
      if (reply.kind === 'text') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: 'chatcmpl-text',
            object: 'chat.completion',
            created: Math.floor(Date.now() / 1000),
            model: body.model,
            choices: [
              {
                index: 0,
                message: { role: 'assistant', content: reply.content },
                finish_reason: 'stop',
              },
            ],
            usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
          }),
        );
        return;
      }
      await stream(res, body, reply, () => state.abortedStreams++);
    })();
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    get requests() {
      return state.requests;
    },
    get abortedStreams() {
      return state.abortedStreams;
    },
    respond(fn) {
      responder = fn;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
