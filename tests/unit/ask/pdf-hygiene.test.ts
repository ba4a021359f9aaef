import { describe, expect, it } from 'vitest';

import {
  cleanPdfLines,
  cleanPdfText,
} from '../../../packages/core/src/domain/files/parsers/pdf-hygiene';

describe('PDF text hygiene', () => {
  it('drops control characters and private-use glyphs', () => {
    expect(cleanPdfText('\u0010Workers of the World, Unite!\u0011')).toBe(
      'Workers of the World, Unite!',
    );
    expect(cleanPdfText('a\ue001b soft\u00adhyphen')).toBe('ab softhyphen');
  });

  it('re-joins words hyphenated at a line end, keeping the line count', () => {
    const lines = cleanPdfLines([
      { text: 'Work-' },
      { text: 'ers of the World' },
      { text: 'in-' },
      { text: 'cluding, more' },
    ]);
    expect(lines.map((l) => l.text)).toEqual(['Workers', 'of the World', 'including,', 'more']);
    // A capitalised continuation is a real hyphenated compound, not a wrap.
    expect(cleanPdfLines([{ text: 'Trace-' }, { text: 'Based JIT' }]).map((l) => l.text)).toEqual([
      'Trace-',
      'Based JIT',
    ]);
  });
});
