import { describe, expect, it } from 'vitest';

import { highlightRange } from '../../../services/web/src/chat/highlight';

const TEXT = 'Intro line.\nBà L mua hai căn nhà với giá 5.500.000.000 đồng.\nClosing line.';
const CHUNKS = [
  { start: 0, end: 12 },
  { start: 12, end: 60 },
  { start: 60, end: TEXT.length },
];

describe('highlightRange (the cited chunk inside its page text)', () => {
  it('marks the whole page chunk that contains the cited passage', () => {
    const r = highlightRange(TEXT, CHUNKS, 'căn nhà với giá 5.500.000.000')!;
    expect(r.marked).toBe(TEXT.slice(12, 60));
    expect(r.before + r.marked + r.after).toBe(TEXT);
  });

  it('finds a passage whose spacing differs from the page', () => {
    const r = highlightRange(TEXT, [], 'Bà  L\nmua hai   căn nhà')!;
    expect(r.marked).toBe('Bà L mua hai căn nhà');
  });

  it('gives null when the passage is not on the page, or is empty', () => {
    expect(highlightRange(TEXT, CHUNKS, 'nowhere to be found here')).toBeNull();
    expect(highlightRange(TEXT, CHUNKS, '   ')).toBeNull();
  });

  it('ignores chunk offsets that run past the text', () => {
    const r = highlightRange(TEXT, [{ start: 0, end: 10_000 }], 'Closing line.')!;
    expect(r.marked).toBe('Closing line.');
  });
});
