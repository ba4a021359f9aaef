import { describe, expect, it } from 'vitest';

import { readBearer } from '@rag/core';

describe('readBearer', () => {
  it.each([
    ['Bearer abc', 'abc'],
    ['bearer abc', 'abc'],
    ['Bearer Bearer abc', 'abc'],
    ['Bearer bearer abc', 'abc'],
    ['  Bearer   abc  ', 'abc'],
  ])('reads %j', (header, token) => {
    expect(readBearer(header)).toBe(token);
  });

  it.each([[undefined], [null], [''], ['Basic abc'], ['Bearer'], ['Bearer   '], ['abc']])(
    'rejects %j',
    (header) => {
      expect(readBearer(header)).toBeNull();
    },
  );
});
