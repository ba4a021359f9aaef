import { connect } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { waitUntil as waitFor } from '../../support/wait';
import { spawnGateway, type SpawnedServer } from '../../support/spawn-server';

let server: SpawnedServer;

beforeAll(async () => {
  server = await spawnGateway({ LOG_FORMAT: 'pretty' });
});

afterAll(async () => {
  await server?.stop();
});

/** Sends raw bytes and reads the whole answer (the server closes the connection after it). */
function rawRequest(url: string, bytes: string): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    let answer = '';
    socket.on('data', (d) => (answer += d.toString()));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
    socket.write(bytes);
  });
}

function parseAnswer(answer: string) {
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
  return { status, head, body: JSON.parse(body) as unknown };
}

describe('the first screen (13.5)', () => {
  it('shows the URL, the docs URL, the adapters and DATA_DIR before the service-key notice', async () => {
    const screen = await waitFor(
      () => (server.output().includes('SERVICE_API_KEY is not set') ? server.output() : null),
      'the service-key notice',
    );
    const lines = screen.split('\n').filter((l) => l.trim());
    expect(lines[0]).toMatch(/INFO: RAG gateway listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(lines[0]).toContain(`${server.url}/docs`);
    const adapters = lines.findIndex((l) => l.includes('adapters active'));
    const notice = lines.findIndex((l) => l.includes('SERVICE_API_KEY is not set'));
    expect(adapters).toBe(1);
    expect(lines[adapters]).toContain(`DATA_DIR ${server.dataDir}`);
    for (const word of ['database', 'vectorIndex', 'embedder', 'llm'])
      expect(lines.slice(adapters, notice).join('\n')).toContain(word);
    expect(notice).toBeGreaterThan(adapters);
    const key = /Authorization: Bearer ([\w-]+)/.exec(lines[notice]!)?.[1];
    expect(key).toMatch(/^[\w-]{40,}$/);
    expect(screen.split(key!).length - 1).toBe(1);
    // Human-readable, not JSON lines, when LOG_FORMAT=pretty.
    expect(lines[0]).not.toMatch(/^\{/);
  });
});

describe("Node's own HTTP parser errors answer the JSON contract body (issue 10)", () => {
  it('431 for headers too large', async () => {
    const answer = await rawRequest(
      server.url,
      `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    const { status, head, body } = parseAnswer(answer);
    expect(status).toBe(431);
    expect(head).toMatch(/content-type: application\/json/i);
    expect(body).toEqual({ detail: 'Tiêu đề yêu cầu quá lớn' });
  });

  it('400 for a malformed request line, and the server keeps serving', async () => {
    const { status, head, body } = parseAnswer(await rawRequest(server.url, 'HELLO\r\n\r\n'));
    expect(status).toBe(400);
    expect(head).toMatch(/content-type: application\/json/i);
    expect(body).toEqual({ detail: 'Yêu cầu không hợp lệ' });
    const bad = parseAnswer(await rawRequest(server.url, 'GET / HTTP/1.1\r\nHo st: x\r\n\r\n'));
    expect([bad.status, bad.body]).toEqual([400, { detail: 'Yêu cầu không hợp lệ' }]);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });
});
