import { AppError } from '../../errors';
import type { MatchCondition } from '../../ports/vector-index';

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

const KEYS = new Set(['file_id', 'source', 'category', 'page']);

function invalid(detail: string): AppError {
  const message = `Lỗi khi xóa điểm theo filter: ${detail}`;
  return new AppError('BAD_REQUEST', message, { body: { status: 'error', message } });
}

function isScalar(v: unknown): v is string | number {
  return typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
}

const INT32_MAX = 2_147_483_647;

function isPageNumber(v: string | number): boolean {
  const n = typeof v === 'number' ? v : /^\s*\d{1,10}\s*$/.test(v) ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 0 && n <= INT32_MAX;
}

function condition(raw: unknown, clause: string): FileMatchCondition {
  if (!raw || typeof raw !== 'object')
    throw invalid(`điều kiện trong "${clause}" phải là một object`);
  const { key, match, ...rest } = raw as Record<string, unknown>;
  if (Object.keys(rest).length)
    throw invalid(`thuộc tính không được hỗ trợ: ${Object.keys(rest).join(', ')}`);
  if (typeof key !== 'string') throw invalid(`thiếu "key" trong "${clause}"`);
  const bare = key.startsWith('metadata.') ? key.slice('metadata.'.length) : key;
  if (!KEYS.has(bare))
    throw invalid(`khóa "${key}" không được hỗ trợ (file_id, source, category, page)`);
  if (!match || typeof match !== 'object') throw invalid(`thiếu "match" cho khóa "${key}"`);
  const m = match as Record<string, unknown>;
  let values: unknown[];
  if ('value' in m && Object.keys(m).length === 1) values = [m.value];
  else if ('any' in m && Object.keys(m).length === 1 && Array.isArray(m.any)) values = m.any;
  else throw invalid(`"match" của khóa "${key}" phải là {"value": ...} hoặc {"any": [...]}`);
  if (!values.every(isScalar)) throw invalid(`giá trị của khóa "${key}" phải là chuỗi hoặc số`);
  // Pages are stored as 32-bit integers: anything else would fail inside the query (a 500).
  if (bare === 'page' && !values.every(isPageNumber))
    throw invalid(`giá trị của khóa "${key}" phải là số nguyên từ 0 đến ${INT32_MAX}`);
  return { key: bare as FileMatchCondition['key'], values: values as (string | number)[] };
}

function clause(raw: unknown, name: string): FileMatchCondition[] {
  if (raw === undefined) return [];
  const list = Array.isArray(raw) ? raw : [raw];
  return list.map((c) => condition(c, name));
}

/**
 * Validates the contract's Qdrant-style filter (`must` / `should` / `must_not`, keys with or without the
 * `metadata.` prefix). Anything else is a 400; an empty filter is refused too (use the reset route).
 */
export function parseDeleteFilter(body: { filter?: unknown }): FileFilter {
  const f = body.filter;
  if (f === undefined) throw invalid('thiếu khóa "filter"');
  if (!f || typeof f !== 'object' || Array.isArray(f)) throw invalid('"filter" phải là một object');
  const { must, should, must_not: mustNot, ...rest } = f as Record<string, unknown>;
  if (Object.keys(rest).length)
    throw invalid(`mệnh đề không được hỗ trợ: ${Object.keys(rest).join(', ')}`);
  const filter = {
    must: clause(must, 'must'),
    should: clause(should, 'should'),
    mustNot: clause(mustNot, 'must_not'),
  };
  if (!filter.must.length && !filter.should.length && !filter.mustNot.length)
    throw invalid('filter rỗng');
  return filter;
}
