import type { z } from 'zod';

/** One FastAPI-style validation problem: `{"loc": [...], "msg": "...", "type": "..."}`. */
export type ValidationDetail = {
  loc: (string | number)[];
  msg: string;
  type: string;
  input?: unknown;
};
export type Location = 'body' | 'query' | 'path' | 'header';

/** Translates zod issues into FastAPI/pydantic's 422 detail items, so legacy clients parse them. */
export function toValidationDetails(
  issues: readonly z.core.$ZodIssue[],
  where: Location,
  input: unknown,
): ValidationDetail[] {
  return issues.map((issue) => {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    const value = valueAt(input, path);
    return { loc: [where, ...path], ...describe(issue, value), input: value };
  });
}

function valueAt(input: unknown, path: (string | number)[]): unknown {
  let cur: unknown = input;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
}

function describe(issue: z.core.$ZodIssue, value: unknown): { msg: string; type: string } {
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return { msg: 'Field required', type: 'missing' };
      return {
        msg: `Input should be a valid ${pydanticType(issue.expected)}`,
        type: `${pydanticType(issue.expected)}_type`,
      };
    case 'too_small':
      return issue.origin === 'string'
        ? {
            msg: `String should have at least ${String(issue.minimum)} characters`,
            type: 'string_too_short',
          }
        : {
            msg: `Input should be greater than or equal to ${String(issue.minimum)}`,
            type: 'greater_than_equal',
          };
    case 'too_big':
      return issue.origin === 'string'
        ? {
            msg: `String should have at most ${String(issue.maximum)} characters`,
            type: 'string_too_long',
          }
        : {
            msg: `Input should be less than or equal to ${String(issue.maximum)}`,
            type: 'less_than_equal',
          };
    case 'invalid_value':
      return {
        msg: `Input should be ${issue.values.map((v) => `'${String(v)}'`).join(' or ')}`,
        type: 'enum',
      };
    case 'invalid_format':
      return issue.format === 'email'
        ? { msg: 'value is not a valid email address', type: 'value_error' }
        : { msg: `Value error, ${issue.message}`, type: 'value_error' };
    case 'unrecognized_keys':
      return { msg: 'Extra inputs are not permitted', type: 'extra_forbidden' };
    default:
      return { msg: `Value error, ${issue.message}`, type: 'value_error' };
  }
}

function pydanticType(expected: string): string {
  switch (expected) {
    case 'number':
      return 'number';
    case 'int':
      return 'integer';
    case 'boolean':
      return 'boolean';
    case 'array':
      return 'list';
    case 'object':
      return 'dictionary';
    default:
      return expected;
  }
}
