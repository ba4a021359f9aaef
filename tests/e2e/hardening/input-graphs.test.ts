import { describe, expect, it } from 'vitest';

import { useTestApp } from '../../support/test-app';

const app = useTestApp();

/** `levels` entries, each pointing at the next one twice: 2^levels paths in about 1 KB. */
function sharedChainPayload(levels: number) {
  const json: Record<string, unknown> = {};
  const referentialEqualities: Record<string, string[]> = {};
  for (let i = 0; i < levels; i++) json[`l${i}`] = [null, null];
  json[`l${levels - 1}`] = ['x', 'y'];
  for (let i = 0; i < levels - 1; i++)
    referentialEqualities[`l${i}`] = [`l${i + 1}.0`, `l${i + 1}.1`];
  return { json, meta: { referentialEqualities, v: 1 } };
}

const trpcGet = (procedure: string, payload: unknown) =>
  fetch(`${app.url}/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(payload))}`);

describe('tRPC input with superjson reference annotations (a 110-byte request hung the server)', () => {
  it('a cycle is answered, without login, and the server keeps serving', async () => {
    const res = await trpcGet('auth.session', {
      json: { x: { a: [null, null] } },
      meta: { referentialEqualities: { x: ['x.a.0', 'x.a.1'] } },
    });
    expect(res.status).toBeLessThan(500);
    await res.text();
    expect((await fetch(`${app.url}/health`)).status).toBe(200);
  });

  it('2^40 shared paths are answered like the tree the JSON holds', async () => {
    const signUp = await app.signUp();
    const res = await fetch(
      `${app.url}/trpc/conversations.list?input=${encodeURIComponent(JSON.stringify(sharedChainPayload(40)))}`,
      { headers: { authorization: `Bearer ${signUp.token}` } },
    );
    // Unknown keys of the list's input: refused or ignored, but answered.
    expect(res.status).toBeLessThan(500);
    await res.text();
    expect((await fetch(`${app.url}/health`)).status).toBe(200);
  });
});
