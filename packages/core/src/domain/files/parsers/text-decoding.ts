import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';

import { DocumentError, REFUSAL_MESSAGES } from './types';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252' | 'windows-1258';

const SNIFF_BYTES = 64 * 1024;
const MAX_LINE = 1_000_000;

/** Reads the first bytes of a file (for content sniffing). */
export async function readHead(path: string, bytes = SNIFF_BYTES): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** Valid UTF-8, tolerating a multi-byte sequence cut off at the end of the sample. */
function isUtf8(head: Buffer, truncated: boolean): boolean {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    decoder.decode(head, { stream: truncated });
    return true;
  } catch {
    return false;
  }
}

/** Vowels a Vietnamese tone mark sits on, as Windows-1258 spells them (â ê ô ă ơ ư precomposed). */
const TONE_BEARERS = new Set('aăâeêioôơuưyAĂÂEÊIOÔƠUƯY');
/** Windows-1258's five combining tone marks: grave, acute, tilde, hook above, dot below. */
const TONE_MARKS = new Set([0x300, 0x301, 0x303, 0x309, 0x323]);

/**
 * Vietnamese Windows' "ANSI" text (Windows-1258) rather than Western (1252). 1258 writes tones as
 * combining marks after the vowel, in the bytes 1252 reads as Ì ì Þ Ò ò: decoded as 1258, Vietnamese
 * puts nearly all of them after vowels, Western text after consonants (Italian "così", "però") or not
 * at all. Read as 1252, "Điều" became "ÐiêÌu".
 */
function looksWindows1258(head: Buffer): boolean {
  const text = new TextDecoder('windows-1258').decode(head);
  let afterVowel = 0;
  let elsewhere = 0;
  for (let i = 0; i < text.length; i++) {
    if (!TONE_MARKS.has(text.charCodeAt(i))) continue;
    if (TONE_BEARERS.has(text.charAt(i - 1))) afterVowel++;
    else elsewhere++;
  }
  return afterVowel >= 2 && afterVowel >= 4 * elsewhere;
}

/**
 * Detects the encoding of a text file: a BOM wins (UTF-8, UTF-16 LE/BE); then BOM-less UTF-16 by its
 * NUL-byte pattern; then valid UTF-8; else Windows-1258 when its tone marks read as Vietnamese, else
 * Windows-1252, which decodes any byte (a sane last resort).
 */
export function detectEncoding(
  head: Buffer,
  truncated: boolean,
): { encoding: TextEncoding; bomBytes: number } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf)
    return { encoding: 'utf-8', bomBytes: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomBytes: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomBytes: 2 };
  const sample = head.subarray(0, 4096);
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < sample.length; i++) {
    if (sample[i] !== 0) continue;
    if (i % 2 === 0) evenNul++;
    else oddNul++;
  }
  const half = sample.length / 2;
  if (half >= 8 && oddNul > half * 0.3 && evenNul < half * 0.05)
    return { encoding: 'utf-16le', bomBytes: 0 };
  if (half >= 8 && evenNul > half * 0.3 && oddNul < half * 0.05)
    return { encoding: 'utf-16be', bomBytes: 0 };
  if (isUtf8(head, truncated)) return { encoding: 'utf-8', bomBytes: 0 };
  if (looksWindows1258(head)) return { encoding: 'windows-1258', bomBytes: 0 };
  return { encoding: 'windows-1252', bomBytes: 0 };
}

/** Refuses binary content: NUL bytes or many control characters in decoded text. */
export function assertTextual(sample: string): void {
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0) throw new DocumentError('binary', REFUSAL_MESSAGES.binary);
    if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) control++;
  }
  if (sample.length > 0 && control / sample.length > 0.01)
    throw new DocumentError('binary', REFUSAL_MESSAGES.binary);
}

export type Line = { text: string; offset: number };

/**
 * Files up to this size are read whole with one open and a buffer of their exact size. Streaming
 * them (a zero-filled 64 KB sniff buffer, then a read stream's 256 KB buffer, two opens) allocated
 * ~200× the bytes of a small record: most of the ingest worker's garbage on a corpus of small files.
 */
const WHOLE_BYTES = 256 * 1024;

/**
 * The file's bytes when it is small enough to read whole, else its first SNIFF_BYTES. Synchronous: at
 * most 256 KB (well under a millisecond), and four promise round trips per file cost more CPU than
 * the reads themselves on a corpus of small records (parsers run in the ingest workers).
 */
function readStart(path: string): { bytes: Buffer; whole: boolean } {
  const fd = openSync(path, 'r');
  try {
    const { size } = fstatSync(fd);
    const want = size <= WHOLE_BYTES ? size : SNIFF_BYTES;
    const buf = Buffer.allocUnsafe(want);
    let read = 0;
    while (read < want) {
      const n = readSync(fd, buf, read, want - read, read);
      if (n === 0) break;
      read += n;
    }
    // A file that grew meanwhile is streamed like a large one.
    return { bytes: buf.subarray(0, read), whole: size <= WHOLE_BYTES && read === size };
  } finally {
    closeSync(fd);
  }
}

/** The decoded text in pieces (a small file whole, a large one as its read stream delivers it). */
async function* decodedPieces(path: string): AsyncGenerator<string> {
  const start = readStart(path);
  const head = start.whole ? start.bytes.subarray(0, SNIFF_BYTES) : start.bytes;
  const { encoding, bomBytes } = detectEncoding(
    head,
    !start.whole || start.bytes.length >= SNIFF_BYTES,
  );
  const decoder = new TextDecoder(encoding);
  assertTextual(decoder.decode(head.subarray(bomBytes), { stream: true }));
  const streamDecoder = new TextDecoder(encoding);
  const composed = encoding === 'windows-1258' ? composer() : (text: string) => text;
  const piece = (bytes: Buffer, last: boolean) => {
    const text = streamDecoder.decode(bytes, { stream: !last });
    if (text.includes('\u0000')) throw new DocumentError('binary', REFUSAL_MESSAGES.binary);
    return composed(text, last);
  };
  if (start.whole) {
    yield piece(start.bytes.subarray(bomBytes), true);
    return;
  }
  let first = true;
  for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 })) {
    yield piece(first ? (chunk as Buffer).subarray(bomBytes) : (chunk as Buffer), false);
    first = false;
  }
  yield composed(streamDecoder.decode(), true);
}

const isCombining = (code: number) => code >= 0x300 && code <= 0x36f;

/** UAX #15's stream-safe bound: at most 30 marks in a row before a U+034F (which blocks composition). */
const MAX_MARKS = 30;

/**
 * Text with a U+034F after every 30 marks in a row. NFC costs grow with the square of a run of marks
 * (a hostile file of 256 K alternating tones took 14.5 s in one `normalize`); real text never has such
 * runs, so it is unchanged.
 */
function streamSafe(text: string): string {
  let out = '';
  let from = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    if (!isCombining(text.charCodeAt(i))) run = 0;
    else if (++run > MAX_MARKS) {
      out += `${text.slice(from, i)}\u034f`;
      from = i;
      run = 1;
    }
  }
  return from === 0 ? text : out + text.slice(from);
}

/**
 * NFC across pieces (Windows-1258 decodes tones as combining marks; stored and cited text is composed,
 * as UTF-8 documents are): a piece's last letter and its marks (at most 30) wait for the next piece,
 * which may start with more marks for it.
 */
function composer(): (text: string, last: boolean) => string {
  let held = '';
  return (text, last) => {
    const all = held + text;
    let cut = all.length;
    if (!last) {
      let marks = 0;
      while (cut > 0 && marks < MAX_MARKS && isCombining(all.charCodeAt(cut - 1))) {
        cut--;
        marks++;
      }
      if (marks < MAX_MARKS) cut = Math.max(0, cut - 1);
    }
    held = all.slice(cut);
    return streamSafe(all.slice(0, cut)).normalize('NFC');
  };
}

/**
 * Streams a text file as decoded lines with their character offsets (lines keep any `\r`; the `\n`
 * separator is counted in the offsets but not included). Memory stays bounded by the longest line.
 */
export async function* decodedLines(path: string): AsyncGenerator<Line> {
  let carry = '';
  let offset = 0;
  for await (const piece of decodedPieces(path)) {
    const text = carry + piece;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      yield { text: text.slice(start, nl), offset };
      offset += nl - start + 1;
      start = nl + 1;
    }
    carry = text.slice(start);
    // A line without end (minified or binary-ish data) is passed on in pieces, never held whole.
    if (carry.length > MAX_LINE) {
      yield { text: carry, offset };
      offset += carry.length;
      carry = '';
    }
  }
  if (carry.length) yield { text: carry, offset };
}
