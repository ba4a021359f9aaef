import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
} from 'docx';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';

import {
  DocumentError,
  detectEncoding,
  parseDocument,
  statementLabel,
  type Segment,
} from '@rag/core/testing';

const dir = mkdtempSync(join(tmpdir(), 'parsers-'));
let n = 0;
function file(ext: string, content: string | Uint8Array): string {
  const path = join(dir, `f${n++}${ext}`);
  writeFileSync(path, content);
  return path;
}

async function segments(
  path: string,
  ext: '.pdf' | '.docx' | '.md' | '.sql' | '.txt',
): Promise<Segment[]> {
  const doc = await parseDocument(path, ext);
  const out: Segment[] = [];
  for await (const s of doc.segments) out.push(s);
  return out;
}

async function problem(path: string, ext: '.pdf' | '.docx' | '.md' | '.sql' | '.txt') {
  try {
    await segments(path, ext);
  } catch (e) {
    if (e instanceof DocumentError) return e.problem;
    throw e;
  }
  return null;
}

describe('text encodings', () => {
  it('detects BOMs, BOM-less UTF-16, UTF-8 and falls back to Windows-1252', () => {
    expect(detectEncoding(Buffer.from([0xef, 0xbb, 0xbf, 0x61]), false)).toEqual({
      encoding: 'utf-8',
      bomBytes: 3,
    });
    expect(detectEncoding(Buffer.from([0xff, 0xfe, 0x61, 0]), false)).toEqual({
      encoding: 'utf-16le',
      bomBytes: 2,
    });
    expect(detectEncoding(Buffer.from([0xfe, 0xff, 0, 0x61]), false)).toEqual({
      encoding: 'utf-16be',
      bomBytes: 2,
    });
    expect(detectEncoding(Buffer.from('plain ascii text here', 'utf16le'), false).encoding).toBe(
      'utf-16le',
    );
    expect(detectEncoding(Buffer.from('Tiếng Việt', 'utf8'), false).encoding).toBe('utf-8');
    expect(
      detectEncoding(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x6f, 0x6b]), false).encoding,
    ).toBe('windows-1252');
  });

  it('reads UTF-16 text with a BOM and Windows-1252 text', async () => {
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('Xin chào thế giới\n\nĐoạn hai', 'utf16le'),
    ]);
    expect((await segments(file('.txt', utf16), '.txt')).map((s) => s.text).join('')).toBe(
      'Xin chào thế giới\n\nĐoạn hai',
    );
    const latin = Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0x63, 0x72, 0xe8, 0x6d, 0x65]);
    expect((await segments(file('.txt', latin), '.txt'))[0]!.text).toBe('Café crème');
  });

  /** Text as Vietnamese Windows saves it ("ANSI", Windows-1258): tones as combining marks. */
  const TONES = ['\u0300', '\u0301', '\u0303', '\u0309', '\u0323'];
  function windows1258(text: string): Buffer {
    const byChar = new Map<string, number>();
    const decoder = new TextDecoder('windows-1258');
    for (let b = 0x80; b <= 0xff; b++) byChar.set(decoder.decode(Uint8Array.of(b)), b);
    const bytes: number[] = [];
    const encodable = (c: string) => c.charCodeAt(0) < 0x80 || byChar.has(c);
    const put = (c: string) =>
      bytes.push(c.charCodeAt(0) < 0x80 ? c.charCodeAt(0) : byChar.get(c)!);
    for (const ch of text.normalize('NFC')) {
      if (encodable(ch)) {
        put(ch);
        continue;
      }
      // The letter with its shape marks (ê, ơ, ă) composed, then its tone as a combining mark.
      const parts = [...ch.normalize('NFD')];
      const tones = parts.filter((m) => TONES.includes(m));
      put(
        parts
          .filter((m) => !TONES.includes(m))
          .join('')
          .normalize('NFC'),
      );
      for (const tone of tones) put(tone);
    }
    return Buffer.from(bytes);
  }

  it('reads Vietnamese Windows-1258 text as Vietnamese, composed; Western 1252 text stays 1252', async () => {
    const vietnamese =
      'Điều 1. Phạm vi điều chỉnh\n\nLuật này quy định về quyền và nghĩa vụ của người dân.';
    const bytes = windows1258(vietnamese);
    // Not UTF-8, and read as 1252 it is mojibake ("ÐiêÌu").
    expect(new TextDecoder('windows-1252').decode(bytes)).toMatch(/^ÐiêÌu/);
    expect(detectEncoding(bytes, false).encoding).toBe('windows-1258');
    const text = (await segments(file('.txt', bytes), '.txt')).map((s) => s.text).join('\n\n');
    expect(text).toBe(vietnamese);
    // A large file is decoded in 256 KB pieces: here one ends on a vowel and the next starts with its
    // tone, which must still compose with it.
    const many = Array.from({ length: 9000 }, (_, i) => `Điều ${i}. Người dân có quyền ạ`).join(
      '\n\n',
    );
    const body = windows1258(many);
    const PIECE = 256 * 1024;
    let tone = PIECE - 100;
    while (![0xcc, 0xec, 0xde, 0xd2, 0xf2].includes(body[tone]!)) tone--;
    const prefix = `${'x'.repeat(PIECE - tone - 2)}\n\n`;
    const streamed = Buffer.concat([Buffer.from(prefix), body]);
    expect([0xcc, 0xec, 0xde, 0xd2, 0xf2]).toContain(streamed[PIECE]);
    const big = await segments(file('.txt', streamed), '.txt');
    // Exactly what the same text saved as UTF-8 gives.
    expect(big).toEqual(await segments(file('.txt', prefix + many), '.txt'));
    // A hostile run of tones (1 MB alternating dot below / acute) after a Vietnamese head is read in linear time, with a U+034F
    // after every 30 marks (NFC of the run as one string is quadratic: minutes, in one uninterruptible call).
    const marks = Buffer.concat([
      body.subarray(0, 70_000),
      Buffer.alloc(1 << 20, Buffer.from([0xf2, 0xec])),
    ]);
    const hostile = await segments(file('.txt', marks), '.txt');
    expect(hostile.map((s) => s.text).join('')).toContain('\u034f');
    // Italian and Portuguese 1252 text holds the same bytes (ò ì ã õ), not after vowels as tones are.
    const latin1 = (t: string) => Buffer.from(t, 'latin1');
    for (const western of [
      'Così è, però non può essere: sì, lì farò così.',
      'A informação não está disponível, mas as opções são boas.',
    ]) {
      expect(detectEncoding(latin1(western), false).encoding).toBe('windows-1252');
      expect((await segments(file('.txt', latin1(western)), '.txt'))[0]!.text).toBe(western);
    }
  });

  it('refuses binary content and empty text', async () => {
    expect(
      await problem(file('.txt', Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 0, 1, 2, 3])), '.txt'),
    ).toBe('binary');
    expect(await segments(file('.txt', '  \n \n'), '.txt')).toEqual([]);
  });
});

describe('Markdown', () => {
  it('splits by heading sections, ignoring # inside code fences', async () => {
    const md =
      '# Title\n\nIntro.\n\n## Install\n\n```sh\n# not a heading\nnpm i\n```\n\nSetext Heading\n--------------\n\nBody.';
    const segs = await segments(file('.md', md), '.md');
    expect(segs.map((s) => s.section)).toEqual(['Title', 'Install', 'Setext Heading']);
    expect(segs[1]!.text).toContain('# not a heading');
    expect(md.slice(segs[2]!.offset, segs[2]!.offset + 14)).toBe('Setext Heading');
  });
});

describe('SQL', () => {
  it('keeps comments with their statement and ignores ; inside strings, dollar quotes and comments', async () => {
    const sql = [
      '-- The users table',
      "CREATE TABLE users (id int, note text default 'a;b');",
      '/* block; comment */',
      'CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;',
      "INSERT INTO users VALUES (1, 'it''s; fine');",
    ].join('\n');
    const segs = await segments(file('.sql', sql), '.sql');
    expect(segs.map((s) => s.text)).toEqual([
      "-- The users table\nCREATE TABLE users (id int, note text default 'a;b');",
      '/* block; comment */\nCREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;',
      "INSERT INTO users VALUES (1, 'it''s; fine');",
    ]);
    expect(segs.map((s) => s.section)).toEqual([
      'CREATE TABLE users',
      'CREATE FUNCTION f',
      'INSERT INTO users VALUES',
    ]);
    expect(segs.every((s) => s.mergeable)).toBe(true);
  });

  it('splits T-SQL batches on GO', async () => {
    const segs = await segments(
      file('.sql', 'CREATE TABLE a (x int)\nGO\nCREATE TABLE b (y int)\nGO\n'),
      '.sql',
    );
    expect(segs.map((s) => s.section)).toEqual(['CREATE TABLE a', 'CREATE TABLE b']);
  });

  it('streams COPY data in bounded blocks up to its terminator', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `${i}\tname ${i}\t2020-01-01`).join('\n');
    const sql = `COPY public.actor (id, name, at) FROM stdin;\n${rows}\n\\.\n\nSELECT 1;`;
    const segs = await segments(file('.sql', sql), '.sql');
    const data = segs.filter((s) => s.section === 'COPY public.actor (data)');
    expect(data.length).toBeGreaterThan(10);
    expect(Math.max(...segs.map((s) => s.text.length))).toBeLessThan(20 * 1024);
    expect(segs.at(-1)!.section).toBe('SELECT 1');
    expect(statementLabel('-- c\nINSERT INTO "Artist" (a) VALUES (1);')).toBe(
      'INSERT INTO "Artist"',
    );
  });
});

describe('PDF', () => {
  it('keeps 1-based pages and turns larger-font lines into sections', async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    for (const [title, body] of [
      ['Chapter One', 'first body line'],
      ['Chapter Two', 'second body line'],
    ] as const) {
      const page = doc.addPage([595, 842]);
      page.drawText(title, { x: 50, y: 780, size: 24, font });
      page.drawText(body, { x: 50, y: 740, size: 11, font });
      page.drawText('more body text', { x: 50, y: 725, size: 11, font });
    }
    const segs = await segments(file('.pdf', await doc.save()), '.pdf');
    expect(segs.map((s) => [s.page, s.pageLabel, s.section])).toEqual([
      [1, '1', 'Chapter One'],
      [2, '2', 'Chapter Two'],
    ]);
    expect(segs[0]!.text).toContain('first body line');
  });

  it('refuses non-PDF bytes, and an empty PDF yields nothing', async () => {
    expect(await problem(file('.pdf', 'hello'), '.pdf')).toBe('corrupt');
    const blank = await PDFDocument.create();
    blank.addPage();
    expect(await segments(file('.pdf', await blank.save()), '.pdf')).toEqual([]);
  });
});

describe('DOCX', () => {
  it('keeps headings as sections and tables as rows of cells', async () => {
    const doc = new Document({
      sections: [
        {
          children: [
            new Paragraph({ text: 'Chương I. Quy định chung', heading: HeadingLevel.HEADING_1 }),
            new Paragraph({ children: [new TextRun('Nội dung chương một.')] }),
            new Table({
              rows: [
                new TableRow({
                  children: [
                    new TableCell({ children: [new Paragraph('Tên')] }),
                    new TableCell({ children: [new Paragraph('Giá')] }),
                  ],
                }),
                new TableRow({
                  children: [
                    new TableCell({ children: [new Paragraph('Táo')] }),
                    new TableCell({ children: [new Paragraph('10')] }),
                  ],
                }),
              ],
            }),
            new Paragraph({ text: 'Điều 2. Đối tượng', heading: HeadingLevel.HEADING_2 }),
            new Paragraph('Áp dụng cho mọi người.'),
          ],
        },
      ],
    });
    const segs = await segments(file('.docx', await Packer.toBuffer(doc)), '.docx');
    expect(segs.map((s) => s.section)).toEqual(['Chương I. Quy định chung', 'Điều 2. Đối tượng']);
    expect(segs[0]!.text).toBe(
      'Chương I. Quy định chung\n\nNội dung chương một.\n\nTên | Giá\nTáo | 10',
    );
  });

  it('refuses files that are not OOXML', async () => {
    expect(await problem(file('.docx', 'not a zip'), '.docx')).toBe('corrupt');
  });
});
