import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  createEmbedder,
  createHashingEmbedder,
  createOpenAiEmbedder,
  findAppError,
  HASHING_FUSION_WEIGHT,
  parseEnv,
} from '@rag/core/testing';

const cos = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe('hashing embedder', () => {
  const e = createHashingEmbedder();

  it('is deterministic, 768-dimensional and unit-length', async () => {
    const [a, b] = await e.embed(['Hello world', 'Hello world']);
    expect(a).toEqual(b);
    expect(a!.length).toBe(768);
    expect(Math.abs(cos(a!, a!) - 1)).toBeLessThan(1e-4);
    expect(e.id).toBe('hashing-v1');
  });

  it('matches inflections, typos and Vietnamese written without diacritics', async () => {
    const [base, inflected, typo, unrelated] = await e.embed([
      'indexing relational databases',
      'indexed relational database',
      'indexng relatinal databses',
      'children stories about a dragon',
    ]);
    expect(cos(base!, inflected!)).toBeGreaterThan(0.8);
    expect(cos(base!, typo!)).toBeGreaterThan(cos(base!, unrelated!) + 0.2);
    const [vi, ascii, other] = await e.embed([
      'hợp đồng thế chấp tài sản',
      'hop dong the chap tai san',
      'quyền sở hữu trí tuệ',
    ]);
    expect(cos(vi!, ascii!)).toBeGreaterThan(0.6);
    expect(cos(vi!, ascii!)).toBeGreaterThan(cos(vi!, other!) + 0.3);
  });

  it('declares its fusion weight, and an OpenAI-compatible model takes its cosine at face value', async () => {
    expect(HASHING_FUSION_WEIGHT).toBe(0.3);
    expect(e.fusionWeight).toBe(HASHING_FUSION_WEIGHT);
    expect(createHashingEmbedder(64).fusionWeight).toBe(HASHING_FUSION_WEIGHT);
    expect((await createEmbedder(parseEnv({}))).fusionWeight).toBe(HASHING_FUSION_WEIGHT);
    expect((await createEmbedder(parseEnv({ OPENAI_API_KEY: 'sk-test' }))).fusionWeight).toBe(1);
    expect(createOpenAiEmbedder({ apiKey: 'k', model: 'custom', dimensions: 8 }).fusionWeight).toBe(
      1,
    );
  });

  it('is chosen by default without an OpenAI key, OpenAI with one', async () => {
    expect((await createEmbedder(parseEnv({}))).id).toBe('hashing-v1');
    expect((await createEmbedder(parseEnv({ OPENAI_API_KEY: 'sk-test' }))).id).toBe(
      'openai:text-embedding-3-small',
    );
    expect(
      (await createEmbedder(parseEnv({ OPENAI_API_KEY: 'sk-test', EMBEDDING_PROVIDER: 'hashing' })))
        .id,
    ).toBe('hashing-v1');
    await expect(
      createEmbedder(
        parseEnv({ EMBEDDING_PROVIDER: 'openai', OPENAI_API_KEY: 'k', EMBEDDING_MODEL: 'custom' }),
      ),
    ).rejects.toThrow(/EMBEDDING_DIMENSIONS/);
  });
});

/** An OpenAI-compatible `/v1/embeddings` stand-in with scripted failures. */
describe('OpenAI-compatible embedder', () => {
  let url: string;
  let script: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  // Requests are answered once this many are waiting: a concurrency test sees its requests overlap
  // because they are held, not because a delay made them likely to.
  let holdUntil = 1;
  const held: (() => void)[] = [];
  const batches: number[] = [];
  const bodies: Record<string, unknown>[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const body = JSON.parse(raw) as { input: string[]; dimensions?: number };
      bodies.push(body);
      const status = script.shift() ?? 200;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      held.push(() => {
        inFlight--;
        if (status !== 200) {
          res.writeHead(status, {
            'content-type': 'application/json',
            ...(status === 429 ? { 'retry-after': '0' } : {}),
          });
          res.end(JSON.stringify({ error: { message: `status ${status}`, type: 'server_error' } }));
          return;
        }
        batches.push(body.input.length);
        const dim = body.dimensions ?? 8;
        const data = body.input.map((t, index) => ({
          object: 'embedding',
          index,
          embedding: Array.from({ length: dim }, (_, i) => (t.length + i) / 100),
        }));
        res.writeHead(200, { 'content-type': 'application/json' });
        // Out of order on purpose: the adapter must use `index`.
        res.end(
          JSON.stringify({
            object: 'list',
            data: data.reverse(),
            model: 'm',
            usage: { prompt_tokens: 1, total_tokens: 1 },
          }),
        );
      });
      if (held.length >= holdUntil) for (const answer of held.splice(0)) answer();
    });
  });
  beforeAll(async () => {
    server.listen(0, '127.0.0.1');
    await new Promise<void>((r) => server.once('listening', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const make = (extra: Partial<Parameters<typeof createOpenAiEmbedder>[0]> = {}) =>
    createOpenAiEmbedder({
      apiKey: 'k',
      baseURL: url,
      model: 'test-model',
      dimensions: 8,
      backoffMs: 5,
      ...extra,
    });

  it('batches, bounds concurrency and keeps the input order', async () => {
    batches.length = 0;
    maxInFlight = 0;
    holdUntil = 2; // six batches, answered two at a time: a third request in flight would show
    const texts = Array.from({ length: 300 }, (_, i) => 'x'.repeat(i + 1));
    const out = await make({ batchSize: 50, concurrency: 2 })
      .embed(texts)
      .finally(() => (holdUntil = 1));
    expect(batches.sort((a, b) => a - b)).toEqual([50, 50, 50, 50, 50, 50]);
    expect(maxInFlight).toBe(2);
    expect(out.map((v) => Math.round(v[0]! * 100))).toEqual(texts.map((t) => t.length));
    expect(bodies.at(-1)).toMatchObject({
      model: 'test-model',
      dimensions: 8,
      encoding_format: 'float',
    });
  });

  it('retries 429 and 5xx with backoff', async () => {
    script = [429, 503, 200];
    const [v] = await make().embed(['hello']);
    expect(v).toHaveLength(8);
    expect(script).toEqual([]);
  });

  it('answers 503 (UNAVAILABLE) when the provider stays down, 502 when it refuses the request', async () => {
    script = [500, 500, 500];
    const down = findAppError(
      await make({ maxRetries: 2 })
        .embed(['a'])
        .catch((e: unknown) => e),
    );
    expect(down?.code).toBe('UNAVAILABLE');
    expect(down?.httpStatus).toBe(503);
    script = [400];
    const refused = findAppError(
      await make()
        .embed(['a'])
        .catch((e: unknown) => e),
    );
    expect(refused?.code).toBe('UPSTREAM_FAILED');
  });

  it('rejects vectors of the wrong dimension', async () => {
    const wrong = findAppError(
      await make({ dimensions: undefined, model: 'text-embedding-3-small' })
        .embed(['a'])
        .catch((e: unknown) => e),
    );
    expect(wrong?.message).toMatch(/1536/);
  });

  it('reports an unreachable provider as UNAVAILABLE', async () => {
    const e = createOpenAiEmbedder({
      apiKey: 'k',
      baseURL: 'http://127.0.0.1:1/v1',
      model: 'm',
      dimensions: 8,
      maxRetries: 1,
      backoffMs: 1,
    });
    expect(findAppError(await e.embed(['a']).catch((x: unknown) => x))?.code).toBe('UNAVAILABLE');
  });
});
