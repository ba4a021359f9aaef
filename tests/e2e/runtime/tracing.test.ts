import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { waitUntil as waitFor } from '../../support/wait';
import { spawnGateway, type SpawnedServer } from '../../support/spawn-server';

type Span = {
  name: string;
  kind: number;
  attributes: { key: string; value: { stringValue?: string } }[];
};
type Export = {
  resourceSpans: {
    resource: { attributes: { key: string; value: { stringValue?: string } }[] };
    scopeSpans: { scope: { name: string }; spans: Span[] }[];
  }[];
};

/** A stand-in OTLP/HTTP collector: accepts `POST /v1/traces` (JSON encoding) like the real one. */
const received: Export[] = [];
let collector: Server;
let gateway: SpawnedServer;

beforeAll(async () => {
  collector = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/traces') {
        expect(req.headers['content-type']).toMatch(/application\/json/);
        received.push(JSON.parse(body) as Export);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } else res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r));
  const { port } = collector.address() as AddressInfo;
  gateway = await spawnGateway({
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
    OTEL_SERVICE_NAME: 'rag-tracing-test',
    OTEL_BSP_SCHEDULE_DELAY: '100',
  });
});

afterAll(async () => {
  await gateway?.stop();
  await new Promise((r) => collector.close(r));
});

const spans = () =>
  received.flatMap((e) =>
    e.resourceSpans.flatMap((rs) =>
      rs.scopeSpans.flatMap((ss) =>
        ss.spans.map((s) => ({
          ...s,
          scope: ss.scope.name,
          service: rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue,
          attr: (k: string) => s.attributes.find((a) => a.key === k)?.value.stringValue,
        })),
      ),
    ),
  );

describe('OpenTelemetry tracing (OTEL_EXPORTER_OTLP_ENDPOINT set)', () => {
  it('exports server spans with the route, and Express spans, to the OTLP receiver', async () => {
    expect((await fetch(`${gateway.url}/health`)).status).toBe(200);
    const files = await fetch(`${gateway.url}/api/files/some-file.pdf`, { method: 'DELETE' });
    expect(files.status).toBe(401);
    const server = await waitFor(() => {
      const found = spans().filter(
        (s) => s.scope.includes('instrumentation-http') && s.kind === 2, // SERVER
      );
      return found.some((s) => s.attr('http.route') === '/api/files/:filename') ? found : null;
    }, 'the server spans to arrive');
    expect(server.every((s) => s.service === 'rag-tracing-test')).toBe(true);
    expect(server.map((s) => s.name)).toContain('DELETE /api/files/:filename');
    expect(spans().some((s) => s.scope.includes('instrumentation-express'))).toBe(true);
  });

  it('records no secret of the query string: a subscription’s token and question', async () => {
    const query = new URLSearchParams({
      connectionParams: JSON.stringify({ authorization: 'Bearer secret-token-in-url' }),
      input: JSON.stringify({ json: { question: 'private question' } }),
    });
    await (await fetch(`${gateway.url}/trpc/files.progress?${query.toString()}`)).text();
    const span = await waitFor(
      () =>
        spans().find(
          (s) => s.kind === 2 && (s.attr('url.path') ?? '').startsWith('/trpc/files.progress'),
        ) ?? null,
      'the subscription’s server span',
    );
    const recorded = JSON.stringify(span.attributes);
    expect(recorded).toContain('connectionParams=REDACTED');
    expect(recorded).not.toContain('secret-token-in-url');
    expect(recorded).not.toContain('private');
  });
});
