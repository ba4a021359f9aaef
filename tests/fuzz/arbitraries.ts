import fc from 'fast-check';

/** A JSON Schema node as zod-openapi emits it (the subset the arbitraries understand). */
export type SchemaNode = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
  enum?: unknown[];
  const?: unknown;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  allOf?: SchemaNode[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  format?: string;
};

/** Strings an attacker tries: control characters, NUL, bad encodings, traversal, huge, odd Unicode. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '%00',
    '%ff%fe',
    '%E0%A4%A',
    '../../etc/passwd',
    '..\\..\\windows',
    "'; drop table users; --",
    '<script>alert(1)</script>',
    '\uD800',
    '\uFEFF',
    '𝕏'.repeat(50),
    ' ',
    '',
    '__proto__',
    'constructor',
    '{"$ne":null}',
  ),
  fc.nat({ max: 70_000 }).map((n) => 'x'.repeat(n)),
);

/** Numbers outside what any column holds. */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 2 ** 53, 1e308, -1e308, -0, 0.5, -1),
);

/** Deep or odd JSON values that no schema expects. */
export const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.nat({ max: 200 }).map((n) => {
    let v: unknown = 'leaf';
    for (let i = 0; i < n; i++) v = i % 2 ? [v] : { k: v };
    return v;
  }),
  hostileString,
  hostileNumber,
);

function resolve(node: SchemaNode, doc: { components?: { schemas?: Record<string, SchemaNode> } }) {
  let cur = node;
  for (let i = 0; cur.$ref && i < 10; i++) {
    const name = cur.$ref.replace('#/components/schemas/', '');
    cur = doc.components?.schemas?.[name] ?? {};
  }
  return cur;
}

/**
 * Values shaped by the route's own schema (so requests get past the first validation and reach the
 * handler), each field now and then swapped for a hostile value, dropped, or joined by extra keys.
 */
export function fromSchema(
  node: SchemaNode,
  doc: { components?: { schemas?: Record<string, SchemaNode> } },
  depth = 0,
): fc.Arbitrary<unknown> {
  const s = resolve(node, doc);
  const valid = validFromSchema(s, doc, depth);
  return fc.oneof({ weight: 6, arbitrary: valid }, { weight: 1, arbitrary: hostileJson });
}

function validFromSchema(
  s: SchemaNode,
  doc: { components?: { schemas?: Record<string, SchemaNode> } },
  depth: number,
): fc.Arbitrary<unknown> {
  if (depth > 5) return fc.constant(null);
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum?.length) return fc.constantFrom(...s.enum);
  const alts = s.anyOf ?? s.oneOf;
  if (alts?.length) return fc.oneof(...alts.map((a) => fromSchema(a, doc, depth + 1)));
  if (s.allOf?.length) return fromSchema(s.allOf[0]!, doc, depth + 1);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'string':
      return s.format === 'email'
        ? fc.oneof(fc.emailAddress(), hostileString)
        : s.format === 'uuid'
          ? fc.oneof(fc.uuid(), hostileString)
          : hostileString;
    case 'integer':
      return fc.oneof(
        fc.integer({ min: s.minimum ?? -10, max: Math.min(s.maximum ?? 1000, 1000) }),
        hostileNumber,
      );
    case 'number':
      return hostileNumber;
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(s.items ? fromSchema(s.items, doc, depth + 1) : hostileJson, {
        maxLength: 5,
      });
    case 'object': {
      const props = Object.entries(s.properties ?? {});
      const shape = Object.fromEntries(props.map(([k, v]) => [k, fromSchema(v, doc, depth + 1)]));
      return fc
        .tuple(
          fc.record(shape, { requiredKeys: [] }),
          fc.dictionary(hostileString, hostileJson, { maxKeys: 2 }),
          fc.boolean(),
        )
        .map(([base, extra, addExtra]) => (addExtra ? { ...extra, ...base } : base));
    }
    default:
      return hostileJson;
  }
}
