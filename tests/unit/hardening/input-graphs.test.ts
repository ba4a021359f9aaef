import { describe, expect, it } from 'vitest';

import { findNulCharacter, inputTreeTransformer } from '@rag/core/testing';

// Full superjson, as the router serialises its output.
const superjson = inputTreeTransformer.output;

/** `levels` objects, each holding the next one twice: 2^levels paths through `levels` objects. */
function sharedChain(levels: number, leaf: unknown): Record<string, unknown> {
  let node: Record<string, unknown> = { leaf };
  for (let i = 0; i < levels; i++) node = { a: node, b: node };
  return node;
}

describe('inputs that are graphs, not trees (a 110-byte request pinned the event loop)', () => {
  it('superjson reference annotations are not applied to input: a cycle stays the JSON it was', () => {
    const payload = {
      json: { x: { a: [null, null] } },
      meta: { referentialEqualities: { x: ['x.a.0', 'x.a.1'] } },
    };
    // What plain superjson builds from it: x.a[0] is x itself.
    const graph = superjson.deserialize<{ x: { a: unknown[] } }>(payload);
    expect(graph.x.a[0]).toBe(graph.x);
    expect(inputTreeTransformer.input.deserialize(payload)).toEqual({ x: { a: [null, null] } });
  });

  it('an object sent twice by a real client arrives as two equal copies', () => {
    const shared = { tags: ['a', 'b'], when: new Date(0) };
    const wire: unknown = JSON.parse(
      JSON.stringify(inputTreeTransformer.input.serialize({ p: shared, q: shared })),
    );
    expect(wire).toHaveProperty('meta.referentialEqualities');
    const input = inputTreeTransformer.input.deserialize(wire) as { p: unknown; q: unknown };
    expect(input).toEqual({ p: shared, q: shared });
    expect(input.p).not.toBe(input.q);
    // Other annotations (a Date here) still apply.
    expect((input.p as { when: unknown }).when).toBeInstanceOf(Date);
  });

  it('the NUL check visits each object once: a cycle and 2^60 shared paths end at once', () => {
    const cycle: Record<string, unknown> = { name: 'x' };
    cycle.self = cycle;
    cycle.list = [cycle, { deep: cycle }];
    expect(findNulCharacter(cycle)).toBeNull();
    expect(findNulCharacter(sharedChain(60, 'clean'))).toBeNull();
    const found = findNulCharacter(sharedChain(60, 'x\u0000'));
    expect(found?.path).toHaveLength(61);
    expect(found?.path.at(-1)).toBe('leaf');
  });

  it('still reports the first NUL in document order, keys included', () => {
    expect(findNulCharacter({ a: ['ok', { b: 'x\u0000' }], c: 'y\u0000' })?.path).toEqual([
      'a',
      1,
      'b',
    ]);
    expect(findNulCharacter({ a: 1, ['k\u0000']: 2, z: 'y\u0000' })?.path).toEqual(['k\u0000']);
    expect(findNulCharacter({ a: 'ok' })).toBeNull();
  });
});
