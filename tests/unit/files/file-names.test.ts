import { describe, expect, it } from 'vitest';

import {
  displayFilename,
  extensionOf,
  MAX_FILENAME_LENGTH,
} from '../../../packages/core/src/domain/files/file-names';

/** No lone surrogate anywhere (a cut through a pair leaves one). */
const wellFormed = (s: string) =>
  !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);

/** Whether `prefix` is the first whole graphemes of `whole` (no cluster cut in half). */
function isGraphemePrefix(prefix: string, whole: string): boolean {
  const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let at = '';
  for (const { segment } of segmenter.segment(whole)) {
    if (at === prefix) return true;
    at += segment;
  }
  return at === prefix;
}

describe('displayFilename', () => {
  it('keeps short names as they are (last path component, NFC, no control characters)', () => {
    expect(displayFilename('C:\\docs\\a\u0007b.txt')).toBe('ab.txt');
    expect(displayFilename('../../Tai lie\u0323\u0302u.md')).toBe('Tai li\u1ec7u.md');
    expect(displayFilename('x'.repeat(251) + '.txt')).toBe('x'.repeat(251) + '.txt');
    expect(displayFilename('  \u0001 ')).toBe('file');
  });

  it('shortens the stem of a name over the limit and keeps its extension', () => {
    const name = displayFilename('x'.repeat(256) + '.txt');
    expect(name).toBe('x'.repeat(MAX_FILENAME_LENGTH - 4) + '.txt');
    expect(name.length).toBe(MAX_FILENAME_LENGTH);
    expect(extensionOf(name)).toBe('.txt');
    // The extension's case is the client's; the format check lower-cases it.
    const upper = displayFilename('y'.repeat(300) + '.PDF');
    expect(upper.endsWith('.PDF')).toBe(true);
    expect(extensionOf(upper)).toBe('.pdf');
  });

  it('never cuts an astral character or a combining sequence in half', () => {
    // A surrogate pair, a flag (two astral code points, one grapheme), a letter with marks NFC cannot
    // compose into one code point, and Vietnamese text (composed by NFC).
    for (const unit of ['😀', '🇻🇳', 'q\u0323\u0302', 'tài lie\u0323\u0302u ']) {
      for (let pad = 0; pad < 4; pad++) {
        const stemIn = ('a'.repeat(pad) + unit.repeat(200)).normalize('NFC');
        const name = displayFilename(stemIn + '.docx');
        expect(name.length).toBeLessThanOrEqual(MAX_FILENAME_LENGTH);
        expect(name.length).toBeGreaterThan(MAX_FILENAME_LENGTH - 5 - unit.length);
        expect(name.endsWith('.docx')).toBe(true);
        expect(wellFormed(name)).toBe(true);
        expect(isGraphemePrefix(name.slice(0, -'.docx'.length), stemIn)).toBe(true);
      }
    }
  });

  it('cuts a single cluster longer than the limit between code points, not through a pair', () => {
    // One grapheme: a letter under 200 astral combining marks (U+1D167, two code units each).
    const cluster = 'a' + '\u{1D167}'.repeat(200);
    const name = displayFilename(cluster + '.md');
    expect(name).toBe('a' + '\u{1D167}'.repeat(125) + '.md');
    expect(wellFormed(name)).toBe(true);
    // Marks in the BMP: NFC composes and reorders them first; the cut still keeps whole code points.
    const zalgo = ('a' + '\u0301\u0323'.repeat(200)).normalize('NFC');
    expect(displayFilename(zalgo + '.md')).toBe(zalgo.slice(0, MAX_FILENAME_LENGTH - 3) + '.md');
  });

  it('cuts a long name without an extension to the limit', () => {
    const name = displayFilename('Báo cáo '.repeat(60));
    expect(name.length).toBeLessThanOrEqual(MAX_FILENAME_LENGTH);
    expect(name.length).toBeGreaterThan(MAX_FILENAME_LENGTH - 8);
    expect('Báo cáo '.repeat(60).startsWith(name)).toBe(true);
    expect(extensionOf(name)).toBe('');
    const astral = displayFilename('😀'.repeat(200));
    expect(astral).toBe('😀'.repeat(127));
  });

  it('cuts an extension too long to keep with the rest of the name', () => {
    const name = displayFilename('a.' + 'b'.repeat(400));
    expect(name).toBe('a.' + 'b'.repeat(MAX_FILENAME_LENGTH - 2));
  });
});

describe('extensionOf', () => {
  it('is the lower-cased last dotted part, with its dot', () => {
    expect(extensionOf('Report.Final.TXT')).toBe('.txt');
    expect(extensionOf('archive.tar.gz')).toBe('.gz');
    expect(extensionOf('README')).toBe('');
    expect(extensionOf('file.')).toBe('.');
  });

  it('takes a name that is only an extension as a file of that type (unlike path.extname)', () => {
    expect(displayFilename('.txt')).toBe('.txt');
    expect(extensionOf('.txt')).toBe('.txt');
    expect(extensionOf('.MD')).toBe('.md');
    // A dotfile is then reported by its own name, so a refusal names what was sent.
    expect(extensionOf('.gitignore')).toBe('.gitignore');
  });
});
