import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shared corpus beside the repository (`../shared/corpus`). */
export const CORPUS_DIR = resolve(
  fileURLToPath(new URL('.', import.meta.url)),
  '../../../shared/corpus',
);

export type CorpusEntry = {
  file: string;
  kind: 'pdf' | 'docx' | 'md' | 'sql' | 'txt';
  size: number;
  note: string;
  pages?: number | null;
  encrypted?: string | null;
};

export type ExpectedOutcome = 'indexed' | 'encrypted' | 'image-only' | 'corrupt' | 'empty';

export function corpusManifest(): CorpusEntry[] {
  return JSON.parse(readFileSync(join(CORPUS_DIR, 'manifest.json'), 'utf8')) as CorpusEntry[];
}

export const corpusPath = (entry: CorpusEntry | string) =>
  join(CORPUS_DIR, typeof entry === 'string' ? entry : entry.file);

/**
 * What the manifest's notes say must happen to a document: refused (and why) or indexed. Encrypted files
 * that open without a password (owner password only) and "broken but recoverable" files are indexed.
 */
export function expectedOutcome(entry: CorpusEntry): ExpectedOutcome {
  const note = entry.note;
  if (/ENCRYPTED/.test(note) && !/owner password only|opens without password/i.test(note))
    return 'encrypted';
  if (/SCANNED|NO text layer/i.test(note)) return 'image-only';
  if (/CORRUPT|unrecoverable|not a valid ZIP/i.test(note)) return 'corrupt';
  if (/valid but empty|blank page and no text/i.test(note)) return 'empty';
  return 'indexed';
}

/** The start of the 400 message each refusal must carry (the contract's text, then what it was). */
export const REFUSAL_PREFIX: Record<Exclude<ExpectedOutcome, 'indexed'>, RegExp> = {
  encrypted: /^Lỗi khi đọc file: .*mật khẩu/,
  'image-only': /^Lỗi khi đọc file: .*hình ảnh/,
  corrupt: /^Lỗi khi đọc file: .*hỏng/,
  empty: /^Không thể tải tài liệu hoặc tài liệu rỗng$/,
};
