import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { asText } from './as-text';
import {
  cosine,
  facetHits,
  passes,
  selectPayload,
  sparseScore,
  type Filter,
  type Point,
  type Sparse,
} from './qdrant-standin-points';

/**
 * A stand-in for a Qdrant server speaking the subset of its REST API our adapter uses (collections:
 * create, read, update of sparse vector params; payload indexes; upsert, scroll, batch set_payload;
 * query on named dense / sparse vectors; delete / count by filter; facet), with Qdrant's semantics
 * (see `qdrant-standin-points.ts`). Every request is recorded for assertions.
 */

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

/** Qdrant's `Modifier` is "none" or "idf"; anything else fails deserialisation. */
function badSparseModifier(sparse: unknown): string | null {
  for (const [vector, params] of Object.entries((sparse ?? {}) as Record<string, unknown>)) {
    const modifier = (params as { modifier?: unknown } | null)?.modifier;
    if (modifier !== undefined && modifier !== 'none' && modifier !== 'idf')
      return `Json deserialize error: sparse_vectors.${vector}.modifier: unknown variant \`${asText(modifier)}\`, expected \`none\` or \`idf\``;
  }
  return null;
}

/** Document frequency of each sparse index over the whole collection (what the idf modifier uses). */
function collectionDf(col: Collection) {
  const df = new Map<number, number>();
  let n = 0;
  for (const p of col.points.values()) {
    if (!p.sparse) continue;
    n++;
    for (const i of p.sparse.indices) df.set(i, (df.get(i) ?? 0) + 1);
  }
  return { df, n };
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
      const badModifier = badSparseModifier(body.sparse_vectors);
      if (badModifier) return fail(res, 400, badModifier);
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
    if (rest === '' && method === 'PATCH') {
      // Only sparse vector params (their modifier) are updatable here, as the adapter needs.
      const diff = (body.sparse_vectors ?? {}) as Record<string, { modifier?: string }>;
      const badModifier = badSparseModifier(diff);
      if (badModifier) return fail(res, 400, badModifier);
      for (const [vector, params] of Object.entries(diff)) {
        const current = col.config.sparse_vectors[vector];
        if (!current)
          return fail(res, 400, `Wrong input: Not existing vector name error: ${vector}`);
        if (params.modifier !== undefined) current.modifier = params.modifier;
      }
      return ok(res, true);
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
      const key = body.key as string;
      if (!col.indexes[key])
        return fail(
          res,
          400,
          `Bad request: Index required but not found for "${key}" of one of the following types: [keyword, integer, uuid]. Help: Create an index for this key or use a different filter.`,
        );
      return ok(res, { hits: facetHits(selected, key, (body.limit as number) ?? 10) });
    }
    if (rest === '/points/scroll' && method === 'POST') {
      // Points in id order from `offset`; `next_page_offset` is the first id of the next page.
      const offset = body.offset === undefined || body.offset === null ? '' : asText(body.offset);
      const page = selected.filter((p) => p.id >= offset).sort((a, b) => (a.id < b.id ? -1 : 1));
      const limit = (body.limit as number) ?? 10;
      return ok(res, {
        points: page.slice(0, limit).map((p) => ({
          id: p.id,
          payload: selectPayload(p.payload, body.with_payload ?? true),
        })),
        next_page_offset: page[limit]?.id ?? null,
      });
    }
    if (rest === '/points/batch' && method === 'POST') {
      const operations = body.operations as Record<string, unknown>[];
      for (const op of operations) {
        const set = op.set_payload as
          { payload: Record<string, unknown>; points?: string[]; filter?: Filter } | undefined;
        if (!set) return fail(res, 400, `stand-in: unsupported operation ${Object.keys(op)[0]}`);
        for (const p of col.points.values()) {
          const listed = set.points ? set.points.map(String).includes(p.id) : passes(p, set.filter);
          if (listed) Object.assign(p.payload, set.payload);
        }
      }
      return ok(
        res,
        operations.map((_, i) => ({ operation_id: 3 + i, status: 'completed' })),
      );
    }
    if (rest === '/points/query' && method === 'POST') {
      const using = body.using as string;
      const limit = (body.limit as number) ?? 10;
      let scored: { p: Point; score: number }[];
      if (using === 'dense') {
        scored = selected.map((p) => ({ p, score: cosine(body.query as number[], p.dense) }));
      } else {
        const idf = col.config.sparse_vectors[using]?.modifier === 'idf' ? collectionDf(col) : null;
        scored = [];
        for (const p of selected) {
          const score = p.sparse ? sparseScore(body.query as Sparse, p.sparse, idf) : null;
          if (score !== null) scored.push({ p, score });
        }
      }
      scored.sort((a, b) => b.score - a.score);
      const points = scored.slice(0, limit).map(({ p, score }) => ({
        id: p.id,
        version: 1,
        score,
        payload: selectPayload(p.payload, body.with_payload),
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
