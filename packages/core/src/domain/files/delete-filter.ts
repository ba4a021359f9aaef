import type { z } from 'zod';

import { AppError } from '../../errors';
import type { MatchCondition } from '../../ports/vector-index';
import { DeleteFilterSchema } from './delete-filter-schema';

/** A condition of the contract's filter: the index's keys plus `category`, a property of the file. */
export type FileMatchCondition = {
  key: MatchCondition['key'] | 'category';
  values: (string | number)[];
};
/** The contract's filter before `category` is resolved to file ids (see domain/categories/scope.ts). */
export type FileFilter = {
  must: FileMatchCondition[];
  should: FileMatchCondition[];
  mustNot: FileMatchCondition[];
};

function invalid(detail: string): AppError {
  const message = `Lỗi khi xóa điểm theo filter: ${detail}`;
  return new AppError('BAD_REQUEST', message, { details: { kind: 'filter_invalid' } });
}

type Issue = z.core.$ZodIssue;

const isPrefix = (short: Issue['path'], long: Issue['path']) =>
  short.length < long.length && short.every((p, i) => p === long[i]);

/**
 * The issues of a clause, written as one condition or a list: zod reports a failed union as one issue
 * holding each alternative's issues; the alternative the caller wrote (a list or not) is the one meant.
 */
function flatten(issues: readonly Issue[], filter: unknown): Issue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== 'invalid_union' || issue.path.length !== 1) return [issue];
    const written = (filter as Record<PropertyKey, unknown>)[issue.path[0] ?? ''];
    const meant = issue.errors[Array.isArray(written) ? 1 : 0] ?? [];
    return flatten(
      meant.map((i) => ({ ...i, path: [...issue.path, ...i.path] })),
      filter,
    );
  });
}

/**
 * The problem a reader meets first: zod reports a node's children before the node itself (unknown keys,
 * a refinement), while the filter reads top-down — so an issue on an enclosing node wins.
 */
function firstIssue(issues: readonly Issue[]): Issue | undefined {
  let first = issues[0];
  for (const issue of issues) if (first && isPrefix(issue.path, first.path)) first = issue;
  return first;
}

/** Fills in `{clause}` and `{key}` (as the caller wrote it) from where the issue is. */
function describe(issue: Issue, filter: unknown): string {
  const [clause, index] = issue.path;
  if (clause === undefined) return issue.message;
  const raw = (filter as Record<PropertyKey, unknown>)[clause];
  const condition: unknown = Array.isArray(raw) && typeof index === 'number' ? raw[index] : raw;
  const key = (condition as { key?: unknown } | null)?.key;
  return issue.message.replace('{clause}', String(clause)).replace('{key}', String(key));
}

/**
 * Validates the contract's Qdrant-style filter against `DeleteFilterSchema`. Anything else is a 400
 * naming the first problem (the contract's `{status, message}` body), never a 422.
 */
export function parseDeleteFilter(body: { filter?: unknown }): FileFilter {
  const result = DeleteFilterSchema.safeParse(body.filter);
  if (result.success) return result.data;
  const issue = firstIssue(flatten(result.error.issues, body.filter));
  throw invalid(issue ? describe(issue, body.filter) : 'filter không hợp lệ');
}
