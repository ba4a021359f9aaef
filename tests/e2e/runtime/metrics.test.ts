import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';

import { createPrometheusTelemetry, type Deps } from '@rag/core/testing';

import { authHttp } from '../../support/auth-http';
import { uploadForm } from '../../support/fixtures';
import { createTestDeps, startGateway, type RunningGateway } from '../../support/harness';
import { ask } from '../../support/sse-client';

let deps: Deps;
let gw: RunningGateway;
const http = authHttp(() => `${gw.url}/api`);

beforeAll(async () => {
  deps = await createTestDeps();
  gw = await startGateway(deps);
});

afterAll(async () => {
  await gw.close();
  await deps.close();
});

async function scrape(headers: Record<string, string> = {}, url = gw.url) {
  const res = await fetch(`${url}/metrics`, { headers });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

/** The value of one sample line, e.g. `rag_ask_latency_seconds_count{phase="start"}`. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : NaN;
}

async function upload(token: string, name: string, content: string) {
  const res = await fetch(`${gw.url}/api/upload`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: uploadForm(name, content),
  });
  return { status: res.status, body: (await res.json()) as { file_id?: string } };
}

describe('GET /metrics (13.6)', () => {
  it('needs the service key, except from loopback with no forwarding headers', async () => {
    const local = await scrape();
    expect(local.status).toBe(200);
    expect(local.type).toMatch(/^text\/plain; version=0\.0\.4/);
    const proxied = await scrape({ 'x-forwarded-for': '203.0.113.9' });
    expect(proxied.status).toBe(401);
    expect(JSON.parse(proxied.text)).toEqual({ detail: 'Không tìm thấy thông tin xác thực' });
    const keyed = await scrape({
      'x-forwarded-for': '203.0.113.9',
      authorization: `Bearer ${deps.serviceKey.key}`,
    });
    expect(keyed.status).toBe(200);
    const wrong = await scrape({ forwarded: 'for=203.0.113.9', authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
  });

  it('with SERVICE_API_KEY set, only the key opens it (loopback too)', async () => {
    const own = await createTestDeps({ SERVICE_API_KEY: 'metrics-test-key-0123456789' });
    const running = await startGateway(own);
    try {
      expect((await scrape({}, running.url)).status).toBe(401);
      const ok = await scrape({ authorization: 'Bearer metrics-test-key-0123456789' }, running.url);
      expect(ok.status).toBe(200);
    } finally {
      await running.close();
      await own.close();
    }
  });

  it('counts requests by route pattern and status, never by raw path', async () => {
    const user = await http.signUp();
    const secret = 'bao-cao-rieng-tu-8f3a.pdf';
    const del = await http.call('DELETE', `/files/${secret}`, { token: user.access_token });
    expect(del.status).toBe(404);
    await fetch(`${gw.url}/no/such/${secret}`);
    await fetch(`${gw.url}/trpc/${secret}`);
    const { text } = await scrape();
    expect(text).not.toContain(secret);
    expect(
      sample(
        text,
        'rag_http_request_duration_seconds_count{method="DELETE",route="/api/files/:filename",status="404"}',
      ),
    ).toBe(1);
    expect(
      sample(
        text,
        'rag_http_request_duration_seconds_count{method="POST",route="/api/auth/signup",status="200"}',
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(text).toContain('route="{unmatched}",status="404"');
    expect(text).toContain('route="/trpc/{unknown}"');
    expect(text).toContain('rag_http_request_duration_seconds_bucket{le="0.005"');
  });

  it('times ingestion stages, counts failures, and times asks to start and first content', async () => {
    const user = await http.signUp();
    const doc =
      'Hợp đồng thuê văn phòng có thời hạn thanh toán là ba mươi ngày kể từ ngày nhận hoá đơn.\n';
    const ok = await upload(user.access_token, 'hop-dong.txt', doc.repeat(20));
    expect(ok.status).toBe(200);
    const bad = await upload(user.access_token, 'virus.exe', 'MZ');
    expect(bad.status).toBe(400);
    const answer = await ask(
      gw.url,
      {
        question: 'Thời hạn thanh toán là bao lâu?',
        file_id: [ok.body.file_id],
        search_type: 'hybrid',
      },
      { token: user.access_token },
    );
    expect(answer.status).toBe(200);
    expect(answer.answer.length).toBeGreaterThan(0);

    const { text } = await scrape();
    for (const stage of ['parsed', 'chunked', 'embedded', 'indexed'])
      expect(sample(text, `rag_ingest_stage_duration_seconds_count{stage="${stage}"}`)).toBe(1);
    expect(sample(text, 'rag_ingest_failures_total{last_stage="none"}')).toBe(1);
    expect(sample(text, 'rag_ask_latency_seconds_count{phase="start"}')).toBe(1);
    expect(sample(text, 'rag_ask_latency_seconds_count{phase="first_content"}')).toBe(1);
    // The keyword half of the hybrid search asked the BM25 cache.
    const lookups =
      sample(text, 'rag_bm25_cache_hits_total') + sample(text, 'rag_bm25_cache_misses_total');
    expect(lookups).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'rag_bm25_cache_bytes')).toBeGreaterThanOrEqual(0);
  });

  it('exports event-loop lag and process memory', async () => {
    const { text } = await scrape();
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(sample(text, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(text).toContain('nodejs_eventloop_lag_p99_seconds');
    expect(text).toContain('nodejs_heap_size_used_bytes');
  });
});

// The pool gauges read a real `pg` pool (on the test cluster when the machine has PostgreSQL).
const postgresUrl = inject('postgresUrl');
describe.each(postgresUrl ? [postgresUrl] : [])('database pool gauges (%s)', (url) => {
  it('reports total, idle, waiting and max connections', async () => {
    const pool = new pg.Pool({ connectionString: url, max: 3 });
    try {
      const held = await pool.connect();
      const telemetry = createPrometheusTelemetry({
        pool: () => ({
          total: pool.totalCount,
          idle: pool.idleCount,
          waiting: pool.waitingCount,
          max: pool.options.max ?? 10,
        }),
      });
      const body = (await telemetry.exposition())!.body;
      expect(sample(body, 'rag_db_pool_connections{state="total"}')).toBe(1);
      expect(sample(body, 'rag_db_pool_connections{state="idle"}')).toBe(0);
      expect(sample(body, 'rag_db_pool_connections{state="max"}')).toBe(3);
      held.release();
    } finally {
      await pool.end();
    }
  });
});
