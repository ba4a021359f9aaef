import { describe, expect, it } from 'vitest';

import { parseDeleteFilter } from '../../../packages/core/src/domain/files/delete-filter';
import { AppError } from '../../../packages/core/src/errors';

const PREFIX = 'Lỗi khi xóa điểm theo filter: ';

/** The 400 a bad filter is answered with (the REST body `{status, message}` is checked end to end). */
function refusal(filter: unknown): string {
  try {
    parseDeleteFilter(filter === undefined ? {} : { filter });
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    const err = e as AppError;
    expect(err.code).toBe('BAD_REQUEST');
    expect(err.message.startsWith(PREFIX)).toBe(true);
    return err.message.slice(PREFIX.length);
  }
  throw new Error('the filter was accepted');
}

const cond = (key: unknown, match: unknown) => ({ key, match });

describe('parseDeleteFilter', () => {
  it('accepts must / should / must_not, one condition or a list, keys with or without metadata.', () => {
    expect(
      parseDeleteFilter({
        filter: {
          must: [cond('metadata.file_id', { value: 'f1' }), cond('page', { any: [1, ' 2 '] })],
          should: cond('category', { any: ['a', 'b'] }),
          must_not: [cond('metadata.source', { value: 'x.pdf' })],
        },
      }),
    ).toEqual({
      must: [
        { key: 'file_id', values: ['f1'] },
        { key: 'page', values: [1, ' 2 '] },
      ],
      should: [{ key: 'category', values: ['a', 'b'] }],
      mustNot: [{ key: 'source', values: ['x.pdf'] }],
    });
    expect(parseDeleteFilter({ filter: { must: cond('page', { value: 2_147_483_647 }) } })).toEqual(
      { must: [{ key: 'page', values: [2_147_483_647] }], should: [], mustNot: [] },
    );
  });

  it.each<[string, unknown, string]>([
    ['no filter', undefined, 'thiếu khóa "filter"'],
    ['a filter that is not an object', 'x', '"filter" phải là một object'],
    ['a null filter', null, '"filter" phải là một object'],
    ['a list as filter', [], '"filter" phải là một object'],
    ['an unknown clause', { must: [], filter: 1, x: 2 }, 'mệnh đề không được hỗ trợ: filter, x'],
    ['an empty filter', {}, 'filter rỗng'],
    ['empty clauses', { must: [], should: [] }, 'filter rỗng'],
    [
      'a condition that is not an object',
      { must: [3] },
      'điều kiện trong "must" phải là một object',
    ],
    ['a null condition', { must_not: null }, 'điều kiện trong "must_not" phải là một object'],
    [
      'extra properties',
      { should: [{ key: 'page', match: { value: 1 }, range: {}, x: 1 }] },
      'thuộc tính không được hỗ trợ: range, x',
    ],
    ['no key', { should: [{ match: { value: 1 } }] }, 'thiếu "key" trong "should"'],
    ['a key that is no string', { must: [cond(5, { value: 1 })] }, 'thiếu "key" trong "must"'],
    [
      'an unknown key',
      { must: [cond('user_id', { value: 'u' })] },
      'khóa "user_id" không được hỗ trợ (file_id, source, category, page)',
    ],
    [
      'a metadata. key that is unknown',
      { must: [cond('metadata.user_id', { value: 'u' })] },
      'khóa "metadata.user_id" không được hỗ trợ (file_id, source, category, page)',
    ],
    ['no match', { must: [{ key: 'source' }] }, 'thiếu "match" cho khóa "source"'],
    [
      'a match that is no object',
      { must: [cond('source', 'x')] },
      'thiếu "match" cho khóa "source"',
    ],
    ...(
      [{}, { value: 1, any: [1] }, { any: 'x' }, { range: 1 }, { value: 1, x: 1 }] as unknown[]
    ).map((match): [string, unknown, string] => [
      `match ${JSON.stringify(match)}`,
      { must: [cond('metadata.category', match)] },
      '"match" của khóa "metadata.category" phải là {"value": ...} hoặc {"any": [...]}',
    ]),
    ...([{ value: {} }, { value: null }, { value: true }, { any: [1, [2]] }] as unknown[]).map(
      (match): [string, unknown, string] => [
        `values ${JSON.stringify(match)}`,
        { must: [cond('file_id', match)] },
        'giá trị của khóa "file_id" phải là chuỗi hoặc số',
      ],
    ),
    [
      'a page that is no scalar',
      { must: [cond('page', { value: {} })] },
      'giá trị của khóa "page" phải là chuỗi hoặc số',
    ],
    ...([2 ** 31, 1e308, -1, 1.5, '99999999999', 'two', ' ', '1.0'] as unknown[]).map(
      (value): [string, unknown, string] => [
        `page ${JSON.stringify(value)}`,
        { must: [cond('metadata.page', { any: [1, value] })] },
        'giá trị của khóa "metadata.page" phải là số nguyên từ 0 đến 2147483647',
      ],
    ),
  ])('refuses %s with its own message', (_what, filter, message) => {
    expect(refusal(filter)).toBe(message);
  });

  it('names the first problem, in the order the filter is read', () => {
    // An unknown clause is named before any condition; a condition's shape before its parts.
    expect(refusal({ must: [3], x: 1 })).toBe('mệnh đề không được hỗ trợ: x');
    expect(refusal({ must: [{ key: 5, match: 3, extra: 1 }] })).toBe(
      'thuộc tính không được hỗ trợ: extra',
    );
    expect(refusal({ must: [cond(5, 3)] })).toBe('thiếu "key" trong "must"');
    expect(refusal({ must: [cond('source', { value: {}, x: 1 })] })).toMatch(/^"match" của khóa/);
    // must before should before must_not, and conditions in order.
    expect(
      refusal({
        must_not: [3],
        should: [cond('x', { value: 1 })],
        must: [cond('page', { value: -1 })],
      }),
    ).toMatch(/^giá trị của khóa "page"/);
    expect(refusal({ must_not: [3], should: [cond('x', { value: 1 })] })).toMatch(/^khóa "x"/);
    expect(refusal({ must: [cond('source', { value: {} }), 3] })).toMatch(/^giá trị của khóa/);
  });
});
