import superjson from 'superjson';

/**
 * superjson for the router, except that client input never comes back as a graph. superjson's
 * `referentialEqualities` make any path of the input point at any other object, cycles included,
 * and every consumer of an input (the NUL check, zod, domain code) walks it as the tree JSON is: a
 * 110-byte request whose `x.a.0` pointed back at `x` pinned the event loop for good. Without those
 * annotations each place keeps the value the JSON itself holds. Output keeps full superjson (the
 * server builds it), so the typed client's own transformer needs no change.
 */
export const inputTreeTransformer = {
  input: {
    serialize: (value: unknown): unknown => superjson.serialize(value),
    deserialize: (payload: unknown): unknown => superjson.deserialize(withoutReferences(payload)),
  },
  output: superjson,
};

type Serialized = Parameters<typeof superjson.deserialize>[0];

function withoutReferences(payload: unknown): Serialized {
  if (payload === null || typeof payload !== 'object' || !('meta' in payload))
    return payload as Serialized;
  const { meta } = payload;
  if (meta === null || typeof meta !== 'object' || !('referentialEqualities' in meta))
    return payload as Serialized;
  const { referentialEqualities: _dropped, ...rest } = meta;
  return { ...payload, meta: rest } as Serialized;
}
