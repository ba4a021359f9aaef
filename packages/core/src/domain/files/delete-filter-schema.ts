import { z } from 'zod';

/** Pages are stored as 32-bit integers: anything else would fail inside the query (a 500). */
export const PAGE_MAX = 2_147_483_647;

/** The keys a condition may name (each also with the `metadata.` prefix the original API used). */
export const FILTER_KEYS = ['file_id', 'source', 'category', 'page'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

/**
 * The refusals, each beside the rule it belongs to. `{clause}` and `{key}` name where the problem is
 * (`must`, and the key as the caller wrote it); zod's error callbacks cannot see the parent, so
 * `parseDeleteFilter` fills them in from the issue's path.
 */
export const FILTER_MESSAGES = {
  missing: 'thiếu khóa "filter"',
  notObject: '"filter" phải là một object',
  clauses: (keys: string[]) => `mệnh đề không được hỗ trợ: ${keys.join(', ')}`,
  empty: 'filter rỗng',
  condition: 'điều kiện trong "{clause}" phải là một object',
  properties: (keys: string[]) => `thuộc tính không được hỗ trợ: ${keys.join(', ')}`,
  noKey: 'thiếu "key" trong "{clause}"',
  unknownKey: (key: string) => `khóa "${key}" không được hỗ trợ (${FILTER_KEYS.join(', ')})`,
  noMatch: 'thiếu "match" cho khóa "{key}"',
  matchShape: '"match" của khóa "{key}" phải là {"value": ...} hoặc {"any": [...]}',
  value: 'giá trị của khóa "{key}" phải là chuỗi hoặc số',
  page: `giá trị của khóa "{key}" phải là số nguyên từ 0 đến ${PAGE_MAX}`,
};
const M = FILTER_MESSAGES;

const isScalar = (v: unknown) => typeof v === 'string' || typeof v === 'number';

const Scalar = z.union([z.string(), z.number()], { error: M.value });

/** A page as a number or a numeric string, within the 32-bit range. */
const PageValue = z.union(
  [
    z.int({ error: M.page }).min(0, { error: M.page }).max(PAGE_MAX, { error: M.page }),
    z
      .string()
      .regex(/^\s*\d{1,10}\s*$/, { error: M.page })
      .refine((s) => Number(s) <= PAGE_MAX, { error: M.page }),
  ],
  { error: (issue) => (isScalar(issue.input) ? M.page : M.value) },
);

/** `{"value": v}` or `{"any": [v, …]}`, nothing else. */
const matchOf = (value: z.ZodType<string | number>) =>
  z
    .strictObject(
      { value: value.optional(), any: z.array(value, { error: M.matchShape }).optional() },
      { error: (issue) => (issue.code === 'unrecognized_keys' ? M.matchShape : M.noMatch) },
    )
    .refine((m) => (m.value !== undefined) !== (m.any !== undefined), { error: M.matchShape })
    .meta({ description: '`{"value": v}` or `{"any": [v, ...]}`' });

/** Keys as written: bare or with the `metadata.` prefix. */
const spellings = <K extends FilterKey>(keys: readonly K[]) =>
  keys.flatMap((k) => [k, `metadata.${k}` as const]) as [K | `metadata.${K}`];

const conditionOf = (keys: readonly FilterKey[], value: z.ZodType<string | number>) =>
  z.strictObject(
    { key: z.enum(spellings(keys)), match: matchOf(value) },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys' ? M.properties(issue.keys) : M.condition,
    },
  );

/** Why a condition matches no key's shape, in the order the original validator checked. */
function conditionProblem(input: unknown): string {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return M.condition;
  const { key, match: _match, ...rest } = input as Record<string, unknown>;
  if (Object.keys(rest).length) return M.properties(Object.keys(rest));
  return typeof key === 'string' ? M.unknownKey(key) : M.noKey;
}

const Condition = z
  .discriminatedUnion(
    'key',
    [
      conditionOf(['file_id', 'source', 'category'], Scalar),
      // Pages are 32-bit integers (as numbers or numeric strings).
      conditionOf(['page'], PageValue),
    ],
    { error: (issue) => conditionProblem(issue.input) },
  )
  .transform(({ key, match }) => ({
    key: key.replace(/^metadata\./, '') as FilterKey,
    values: match.any ?? (match.value === undefined ? [] : [match.value]),
  }));

/** One condition or a list of them. */
const Clause = z.union([Condition.transform((c) => [c]), z.array(Condition)]).optional();

/**
 * The contract's Qdrant-style delete filter: `must` / `should` / `must_not` of
 * `{"key", "match": {"value"}}` or `{"match": {"any": [...]}}` on the keys above. An empty filter is
 * refused too (the reset route deletes everything).
 */
export const DeleteFilterSchema = z
  .strictObject(
    { must: Clause, should: Clause, must_not: Clause },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? M.clauses(issue.keys)
          : issue.input === undefined
            ? M.missing
            : M.notObject,
    },
  )
  .refine((f) => [f.must, f.should, f.must_not].some((c) => c !== undefined && c.length > 0), {
    error: M.empty,
  })
  .transform((f) => ({ must: f.must ?? [], should: f.should ?? [], mustNot: f.must_not ?? [] }))
  .meta({
    description:
      'Qdrant-style filter; keys with or without the `metadata.` prefix. The caller is always added.',
  });
