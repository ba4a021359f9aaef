import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { appRouter, type Deps } from '@rag/core';

import { createTestDeps, startGateway, type RunningGateway } from '../support/harness';
import { signUpUser, type TestUser } from '../support/users';
import { fromSchema, hostileJson, hostileString, type SchemaNode } from './arbitraries';

// Property-based fuzzing at the REST and tRPC edges (issue 10): requests shaped by the routes' own
// OpenAPI schemas and tRPC procedure list, mutated the way an attacker would. Bounded in runs so the
// suite stays fast; fast-check prints the seed and path of any failure (replay with FUZZ_SEED).
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const RUNS = { rest: 250, trpc: 150, multipart: 60 };

type OpenApi = {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, SchemaNode> };
};
type Operation = {
  responses?: Record<string, unknown>;
  parameters?: { name: string; in: 'path' | 'query' | 'header'; schema?: SchemaNode }[];
  requestBody?: { content: Record<string, { schema: SchemaNode }> };
};

let deps: Deps;
let gw: RunningGateway;
let user: TestUser;
let doc: OpenApi;

beforeAll(async () => {
  deps = await createTestDeps({ MAX_BODY_KB: '64', MAX_UPLOAD_MB: '1' });
  gw = await startGateway(deps);
  user = await signUpUser(deps);
  doc = (await (await fetch(`${gw.url}/openapi.json`)).json()) as OpenApi;
});
afterAll(async () => {
  await gw?.close();
  await deps?.close();
});

type Outcome = { status: number; type: string; text: string; what: string };

/**
 * The edge's promise for any request: never a 5xx, every error a JSON body. The one exception is a
 * documented 503 (a provider not configured or unreachable, e.g. Google sign-in without credentials).
 */
function checkOutcome(o: Outcome, documented: string[] = []) {
  if (o.status >= 500 && !(o.status === 503 && documented.includes('503')))
    throw new Error(`${o.what} → ${o.status}: ${o.text.slice(0, 300)}`);
  if (o.status >= 400 && !o.type.includes('application/json'))
    throw new Error(`${o.what} → ${o.status} with ${o.type}: ${o.text.slice(0, 200)}`);
  if (o.status >= 400) JSON.parse(o.text);
}

async function send(
  method: string,
  url: string,
  body: BodyInit | undefined,
  headers: Record<string, string>,
): Promise<Outcome> {
  const controller = new AbortController();
  // OpenAPI keys are lower-case; fetch upper-cases only the classic methods, and Node's HTTP parser
  // refuses a lower-case `patch` with a bare 400 before any route runs.
  const res = await fetch(url, {
    method: method.toUpperCase(),
    headers,
    body,
    signal: controller.signal,
  });
  const type = res.headers.get('content-type') ?? '';
  // Streams (SSE answers) are judged by their status; the body is not awaited.
  const text = type.includes('event-stream') ? '' : await res.text();
  controller.abort();
  return { status: res.status, type, text, what: `${method.toUpperCase()} ${url}` };
}

const auth = fc.constantFrom<'none' | 'user' | 'garbage'>('none', 'user', 'user', 'garbage');
const authHeader = (kind: 'none' | 'user' | 'garbage'): Record<string, string> =>
  kind === 'user'
    ? { authorization: `Bearer ${user.token}` }
    : kind === 'garbage'
      ? { authorization: 'Bearer eyJhbGciOiJub25lIn0.e30.' }
      : {};

/** A path segment: valid-looking, hostile, or raw bad percent-encoding (not re-encoded). */
// URLs past Node's header limit get its own bare 431 before the app runs: keep them below it.
const urlString = hostileString.map((s) => s.slice(0, 1500));
const segment = fc.oneof(
  urlString.map(percentEncode),
  fc.constantFrom('%ff%fe', '%', '%00', '%E0%A4%A', '..', '%2e%2e', 'a%2Fb'),
  fc.uuid(),
);

/** Percent-encodes UTF-8 bytes (lone surrogates included, which encodeURIComponent refuses). */
function percentEncode(s: string): string {
  return [...Buffer.from(s, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).padStart(2, '0')}`,
    )
    .join('');
}

function operations() {
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ path, method, op })),
  );
}

describe('fuzz: REST edge', () => {
  it('no generated request gets a 5xx or a non-JSON error, and the server stays healthy', async () => {
    const ops = operations().filter((o) => !o.op.requestBody?.content['multipart/form-data']);
    expect(ops.length).toBeGreaterThan(10);
    const request = fc.constantFrom(...ops).chain(({ path, method, op }) => {
      const query = (op.parameters ?? []).filter((p) => p.in === 'query');
      const json = op.requestBody?.content['application/json']?.schema;
      return fc.record({
        responses: fc.constant(op.responses ?? {}),
        path: fc.constant(path),
        method: fc.constant(method),
        segments: fc.array(segment, { minLength: 4, maxLength: 4 }),
        query: fc.record(
          Object.fromEntries(
            query.map((q) => [q.name, q.schema ? fromSchema(q.schema, doc) : hostileJson]),
          ),
          { requiredKeys: [] },
        ),
        extraQuery: fc.dictionary(urlString, urlString, { maxKeys: 2 }),
        body: json
          ? fc.oneof(
              { weight: 5, arbitrary: fromSchema(json, doc).map((v) => JSON.stringify(v)) },
              { weight: 1, arbitrary: hostileString },
            )
          : fc.constant(undefined),
        contentType: fc.constantFrom('application/json', 'application/json', 'text/plain', ''),
        auth,
      });
    });
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        let i = 0;
        const url = r.path.replace(/\{[^}]+\}/g, () => r.segments[i++ % 4]!);
        const qs = new URLSearchParams();
        for (const [k, v] of Object.entries({ ...r.extraQuery, ...r.query }))
          qs.append(k, (typeof v === 'string' ? v : (JSON.stringify(v) ?? '')).slice(0, 1500));
        const headers: Record<string, string> = authHeader(r.auth);
        if (r.body !== undefined && r.contentType) headers['content-type'] = r.contentType;
        const o = await send(r.method, `${gw.url}${url}?${qs.toString()}`, r.body, headers);
        checkOutcome(o, Object.keys(r.responses));
      }),
      { numRuns: RUNS.rest, seed: SEED, endOnFailure: true },
    );
    expect((await fetch(`${gw.url}/health`)).status).toBe(200);
  });

  it('multipart uploads: random, truncated and malformed forms never get a 5xx', async () => {
    const boundary = fc.constantFrom('XbX', 'b0und', '----x');
    const form = fc.record({
      boundary,
      declared: fc.oneof(boundary, fc.constantFrom('', 'other', '"quoted"')),
      filename: fc.oneof(hostileString, fc.constantFrom('a.txt', 'a.pdf', 'a.docx', 'x.sql')),
      field: fc.constantFrom('file', 'category', 'upload_id', 'other'),
      content: fc.oneof(
        hostileString,
        fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b).toString('latin1')),
      ),
      cut: fc.double({ min: 0, max: 1, noNaN: true }),
      close: fc.boolean(),
      auth,
    });
    await fc.assert(
      fc.asyncProperty(form, async (f) => {
        const whole =
          `--${f.boundary}\r\nContent-Disposition: form-data; name="${f.field}"; ` +
          `filename="${f.filename.replace(/[\r\n"]/g, '')}"\r\n` +
          `Content-Type: application/octet-stream\r\n\r\n${f.content}\r\n` +
          (f.close ? `--${f.boundary}--\r\n` : '');
        const body = Buffer.from(whole, 'latin1').subarray(
          0,
          f.close ? undefined : Math.floor(whole.length * f.cut),
        );
        const o = await send('POST', `${gw.url}${deps.env.API_PREFIX}/upload`, body, {
          ...authHeader(f.auth),
          'content-type': `multipart/form-data; boundary=${f.declared}`,
        });
        checkOutcome(o);
      }),
      { numRuns: RUNS.multipart, seed: SEED, endOnFailure: true },
    );
    expect((await fetch(`${gw.url}/health`)).status).toBe(200);
  });
});

describe('fuzz: tRPC edge', () => {
  it('every procedure, queried and mutated with hostile input, batched or not, never 5xx', async () => {
    // At run time the procedures are flat, by dotted path (the type describes the nested router).
    const all: Readonly<Record<string, unknown>> = appRouter._def.procedures;
    // Subscriptions stream until closed; their input handling is shared with queries.
    const procedures = Object.keys(all).filter((p) => procedureType(all[p]) !== 'subscription');
    expect(procedures.length).toBeGreaterThan(10);
    expect(procedures.length).toBeLessThan(Object.keys(all).length); // ask.stream, files.progress…
    const call = fc.record({
      paths: fc.array(fc.constantFrom(...procedures), { minLength: 1, maxLength: 3 }),
      batch: fc.boolean(),
      method: fc.constantFrom('GET', 'POST'),
      input: fc.oneof(
        hostileJson.map((v) => ({ json: v })),
        hostileJson,
        fc.constant(undefined),
      ),
      raw: fc.option(hostileString, { freq: 5 }),
      auth,
    });
    await fc.assert(
      fc.asyncProperty(call, async (c) => {
        const paths = c.batch ? c.paths : c.paths.slice(0, 1);
        const payload = c.batch ? Object.fromEntries(paths.map((_, i) => [i, c.input])) : c.input;
        const text = c.raw ?? (payload === undefined ? undefined : JSON.stringify(payload));
        const qs = new URLSearchParams();
        if (c.batch) qs.set('batch', '1');
        if (c.method === 'GET' && text !== undefined) qs.set('input', text.slice(0, 3000));
        const headers: Record<string, string> = authHeader(c.auth);
        if (c.method === 'POST') headers['content-type'] = 'application/json';
        const o = await send(
          c.method,
          `${gw.url}/trpc/${paths.join(',')}?${qs.toString()}`,
          c.method === 'POST' ? text : undefined,
          headers,
        );
        // tRPC answers "not configured" (Google sign-in here) as UNAVAILABLE, like REST's documented 503.
        checkOutcome(o, o.text.includes('"appCode":"UNAVAILABLE"') ? ['503'] : []);
      }),
      { numRuns: RUNS.trpc, seed: SEED, endOnFailure: true },
    );
    expect((await fetch(`${gw.url}/health`)).status).toBe(200);
  });
});

/** A tRPC procedure's kind (`query`, `mutation`, `subscription`), read without trusting its type. */
function procedureType(procedure: unknown): unknown {
  const callable = typeof procedure === 'function' || typeof procedure === 'object';
  if (!callable || procedure === null || !('_def' in procedure)) return undefined;
  const def: unknown = procedure._def;
  return typeof def === 'object' && def !== null && 'type' in def ? def.type : undefined;
}
