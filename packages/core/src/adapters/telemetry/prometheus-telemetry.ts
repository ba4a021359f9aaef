import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

import type { Telemetry } from '../../ports/telemetry';

/** What the collectors read at scrape time (absent parts are simply not exported). */
export type TelemetrySources = {
  /** BM25 postings cache of the pgvector index. */
  bm25Cache?: () => { users: number; bytes: number; loads: number; hits?: number; misses?: number };
  /** The `pg` pool when on Postgres (PGlite has no pool). */
  pool?: () => { total: number; idle: number; waiting: number; max: number };
};

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const INGEST_SECONDS = [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];

/**
 * Prometheus metrics on a registry of their own (one per composition root). Process metrics (memory,
 * event-loop lag, GC) are registered at the first scrape, so a process nobody scrapes pays nothing.
 */
export function createPrometheusTelemetry(sources: TelemetrySources = {}): Telemetry {
  const register = new Registry();
  let defaults = false;

  const http = new Histogram({
    name: 'rag_http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status (the _count is the number of requests)',
    labelNames: ['method', 'route', 'status'],
    buckets: SECONDS,
    registers: [register],
  });
  const ingest = new Histogram({
    name: 'rag_ingest_stage_duration_seconds',
    help: 'Time one upload spent in each ingestion stage',
    labelNames: ['stage'],
    buckets: INGEST_SECONDS,
    registers: [register],
  });
  const ingestFailures = new Counter({
    name: 'rag_ingest_failures_total',
    help: 'Uploads that failed, by the last stage they had completed (none: refused before storing)',
    labelNames: ['last_stage'],
    registers: [register],
  });
  const ask = new Histogram({
    name: 'rag_ask_latency_seconds',
    help: 'Seconds from a question reaching the server to its stream`s start event and first content',
    labelNames: ['phase'],
    buckets: SECONDS,
    registers: [register],
  });

  if (sources.bm25Cache) {
    const read = sources.bm25Cache;
    const gauge = (name: string, help: string, pick: (s: ReturnType<typeof read>) => number) =>
      new Gauge({
        name,
        help,
        registers: [register],
        collect() {
          this.set(pick(read()));
        },
      });
    gauge('rag_bm25_cache_bytes', 'Bytes of BM25 postings held in memory', (s) => s.bytes);
    gauge('rag_bm25_cache_users', 'Users whose BM25 postings are cached', (s) => s.users);
    gauge('rag_bm25_cache_loads_total', 'Postings loads from the database', (s) => s.loads);
    gauge(
      'rag_bm25_cache_hits_total',
      'Keyword searches served from the cache',
      (s) => s.hits ?? 0,
    );
    gauge('rag_bm25_cache_misses_total', 'Keyword searches that went to SQL', (s) => s.misses ?? 0);
  }
  if (sources.pool) {
    const read = sources.pool;
    new Gauge({
      name: 'rag_db_pool_connections',
      help: 'Postgres pool connections by state (total, idle, waiting requests, max)',
      labelNames: ['state'],
      registers: [register],
      collect() {
        const p = read();
        this.set({ state: 'total' }, p.total);
        this.set({ state: 'idle' }, p.idle);
        this.set({ state: 'waiting' }, p.waiting);
        this.set({ state: 'max' }, p.max);
      },
    });
  }

  return {
    name: 'prometheus',
    httpRequest: ({ method, route, status, seconds }) =>
      http.observe({ method, route, status: String(status) }, seconds),
    ingestStage: (stage, seconds) => ingest.observe({ stage }, seconds),
    ingestFailed: (lastStage) => ingestFailures.inc({ last_stage: lastStage }),
    askLatency: (phase, seconds) => ask.observe({ phase }, seconds),
    async exposition() {
      if (!defaults) {
        defaults = true;
        collectDefaultMetrics({ register, eventLoopMonitoringPrecision: 20 });
      }
      return { contentType: register.contentType, body: await register.metrics() };
    },
  };
}
