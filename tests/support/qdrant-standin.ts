import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for a Qdrant server speaking the subset of its REST API our adapter uses (collections,
 * payload indexes, upsert, query on named dense / sparse vectors, delete / count by filter, facet), with
 * Qdrant's semantics: cosine scores, sparse dot product with the `idf` modifier, must/should/must_not
 * filters with `match.value` / `match.any` / `has_id`. Every request is recorded for assertions.
 */

type Condition = {
  key?: string;
  match?: { value?: unknown; any?: unknown[] };
  has_id?: (string | number)[];
};
type Filter = { must?: Condition[]; should?: Condition[]; must_not?: Condition[] };
type Sparse = { indices: number[]; values: number[] };
type Point = {
  id: string;
  dense: number[];
  sparse: Sparse | null;
  payload: Record<string, unknown>;
};
type Collection = {
  config: {
    vectors: Record<string, { size: number; distance: string }>;
    sparse_vectors: Record<string, { modifier?: string }>;
  };
  indexes: Record<string, unknown>;
  points: Map<string, Point>;
};

export type RecordedRequest = { method: string; path: string; body: unknown };

export type QdrantStandIn = {
  url: string;
  requests: RecordedRequest[];
  collections: Map<string, Collection>;
  /** Makes the next n requests fail with this HTTP status (outage simulation). */
  failNext(n: number, status: number): void;
  close(): Promise<void>;
};

function matches(point: Point, c: Condition): boolean {
  if (c.has_id) return c.has_id.map(String).includes(point.id);
  const value = c.key ? point.payload[c.key] : undefined;
  if (!c.match) return false;
  if ('value' in c.match) return value === c.match.value;
  if (c.match.any) return c.match.any.includes(value);
  return false;
}

function passes(point: Point, f: Filter | undefined): boolean {
  if (!f) return true;
  if (f.must && !f.must.every((c) => matches(point, c))) return false;
  if (f.should && f.should.length && !f.should.some((c) => matches(point, c))) return false;
  if (f.must_not && f.must_not.some((c) => matches(point, c))) return false;
  return true;
}

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

/** Qdrant's idf modifier: ln(1 + (N − n + 0.5) / (n + 0.5)) over the collection's points. */
function sparseScore(
  query: Sparse,
  doc: Sparse,
  df: Map<number, number>,
  n: number,
  idf: boolean,
): number {
  let score = 0;
  for (let i = 0; i < query.indices.length; i++) {
    const j = doc.indices.indexOf(query.indices[i]!);
    if (j === -1) continue;
    const d = df.get(query.indices[i]!) ?? 0;
    const weight = idf ? Math.log(1 + (n - d + 0.5) / (d + 0.5)) : 1;
    score += weight * query.values[i]! * doc.values[j]!;
  }
  return score;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = [];
  for await (const chunk of req) parts.push(chunk as Buffer);
  const text = Buffer.concat(parts).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

export async function startQdrantStandIn(): Promise<QdrantStandIn> {
  const collections = new Map<string, Collection>();
  const requests: RecordedRequest[] = [];
  let failures = { n: 0, status: 500 };
  const started = Date.now();

  const ok = (res: ServerResponse, result: unknown) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ result, status: 'ok', time: (Date.now() - started) / 1e6 }));
  };
  const fail = (res: ServerResponse, status: number, error: string) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: { error }, time: 0 }));
  };

  function handle(
    method: string,
    path: string,
    body: Record<string, unknown>,
    res: ServerResponse,
  ) {
    if (method === 'GET' && path === '/')
      return ok(res, { title: 'qdrant stand-in', version: '1.15.0' });
    const m = /^\/collections\/([^/]+)(\/.*)?$/.exec(path);
    if (!m) return fail(res, 404, `Not found: ${path}`);
    const name = decodeURIComponent(m[1]!);
    const rest = m[2] ?? '';
    const col = collections.get(name);
    if (rest === '/exists' && method === 'GET') return ok(res, { exists: Boolean(col) });
    if (rest === '' && method === 'PUT') {
      if (col) return fail(res, 409, `Collection \`${name}\` already exists!`);
      collections.set(name, {
        config: {
          vectors: body.vectors as Collection['config']['vectors'],
          sparse_vectors: (body.sparse_vectors ?? {}) as Collection['config']['sparse_vectors'],
        },
        indexes: {},
        points: new Map(),
      });
      return ok(res, true);
    }
    if (!col) return fail(res, 404, `Not found: Collection \`${name}\` doesn't exist!`);
    if (rest === '' && method === 'GET') {
      return ok(res, {
        status: 'green',
        points_count: col.points.size,
        config: {
          params: { vectors: col.config.vectors, sparse_vectors: col.config.sparse_vectors },
        },
        payload_schema: col.indexes,
      });
    }
    if (rest === '/index' && method === 'PUT') {
      col.indexes[body.field_name as string] = body.field_schema;
      return ok(res, { operation_id: 0, status: 'completed' });
    }
    if (rest === '/points' && method === 'PUT') {
      for (const p of body.points as {
        id: string;
        vector: Record<string, unknown>;
        payload: Record<string, unknown>;
      }[]) {
        const dense = p.vector.dense as number[];
        const size = col.config.vectors.dense!.size;
        if (dense.length !== size)
          return fail(
            res,
            400,
            `Wrong input: Vector dimension error: expected dim: ${size}, got ${dense.length}`,
          );
        col.points.set(String(p.id), {
          id: String(p.id),
          dense,
          sparse: (p.vector.bm25 as Sparse) ?? null,
          payload: p.payload,
        });
      }
      return ok(res, { operation_id: 1, status: 'completed' });
    }
    const filter = body.filter as Filter | undefined;
    const selected = [...col.points.values()].filter((p) => passes(p, filter));
    if (rest === '/points/count' && method === 'POST') return ok(res, { count: selected.length });
    if (rest === '/points/delete' && method === 'POST') {
      for (const p of selected) col.points.delete(p.id);
      return ok(res, { operation_id: 2, status: 'completed' });
    }
    if (rest === '/facet' && method === 'POST') {
      const counts = new Map<unknown, number>();
      for (const p of selected)
        counts.set(
          p.payload[body.key as string],
          (counts.get(p.payload[body.key as string]) ?? 0) + 1,
        );
      const hits = [...counts]
        .map(([value, count]) => ({ value, count }))
        .sort((a, b) => b.count - a.count);
      return ok(res, { hits: hits.slice(0, (body.limit as number) ?? 10) });
    }
    if (rest === '/points/query' && method === 'POST') {
      const using = body.using as string;
      const limit = (body.limit as number) ?? 10;
      let scored: { p: Point; score: number }[];
      if (using === 'dense') {
        scored = selected.map((p) => ({ p, score: cosine(body.query as number[], p.dense) }));
      } else {
        const df = new Map<number, number>();
        const all = [...col.points.values()].filter((p) => p.sparse);
        for (const p of all) for (const i of p.sparse!.indices) df.set(i, (df.get(i) ?? 0) + 1);
        const idf = col.config.sparse_vectors[using]?.modifier === 'idf';
        scored = selected
          .filter((p) => p.sparse)
          .map((p) => ({
            p,
            score: sparseScore(body.query as Sparse, p.sparse!, df, all.length, idf),
          }))
          .filter((s) => s.score > 0);
      }
      scored.sort((a, b) => b.score - a.score);
      const points = scored.slice(0, limit).map(({ p, score }) => ({
        id: p.id,
        version: 1,
        score,
        payload: body.with_payload ? p.payload : undefined,
      }));
      return ok(res, { points });
    }
    return fail(res, 404, `Not found: ${method} ${path}`);
  }

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://standin');
      const body = ((await readJson(req)) ?? {}) as Record<string, unknown>;
      requests.push({ method: req.method ?? 'GET', path: url.pathname, body });
      if (failures.n > 0) {
        failures.n--;
        return fail(res, failures.status, 'simulated outage');
      }
      handle(req.method ?? 'GET', url.pathname, body, res);
    })().catch((e: unknown) => fail(res, 500, String(e)));
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    collections,
    failNext(n, status) {
      failures = { n, status };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
