import { randomUUID } from 'node:crypto';

import { PDFDocument, StandardFonts } from 'pdf-lib';

import type { ChunkRecord, NewJob } from '@rag/core/testing';

/** A small real PDF with one text page per entry (pdf-lib, standard font: ASCII text only). */
export async function makePdf(pages: string[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const text of pages) {
    const page = doc.addPage([595, 842]);
    let y = 800;
    for (const line of text.split('\n')) {
      page.drawText(line, { x: 50, y, size: 12, font });
      y -= 16;
    }
  }
  return doc.save();
}

/** A multipart body for `POST /upload` (fetch sets the boundary). */
export function uploadForm(
  name: string,
  content: Uint8Array | string,
  fields: Record<string, string> = {},
): FormData {
  const form = new FormData();
  form.append(
    'file',
    new Blob([typeof content === 'string' ? content : Buffer.from(content)]),
    name,
  );
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return form;
}

/** Paragraphs of distinctive text (for chunking and search tests). */
export function paragraphs(topic: string, count: number): string {
  return Array.from(
    { length: count },
    (_, i) =>
      `Paragraph ${i + 1} about ${topic}. It explains the ${topic} in detail, with example number ${i * 7} and more words.`,
  ).join('\n\n');
}

/** A chunk for index tests: its owner, text and embedding; plain citation metadata unless overridden. */
export function chunkRecord(
  userId: string,
  content: string,
  embedding: number[],
  over: Partial<ChunkRecord> = {},
): ChunkRecord {
  return {
    id: randomUUID(),
    userId,
    fileId: randomUUID(),
    filename: 'a.txt',
    chunkIndex: 0,
    content,
    page: null,
    pageLabel: null,
    section: null,
    charStart: 0,
    charEnd: content.length,
    embedding,
    ...over,
  };
}

/** Short Vietnamese and English passages sharing terms, for search tests on both languages. */
export const MIXED_PASSAGES = [
  'Hợp đồng thế chấp tài sản phải được lập thành văn bản và có công chứng.',
  'Tài sản thế chấp do bên thế chấp giữ, trừ trường hợp có thỏa thuận khác.',
  'Quyền dân sự được công nhận, tôn trọng, bảo vệ và bảo đảm theo Hiến pháp.',
  'The ingestion pipeline parses, chunks and indexes every uploaded document.',
  'Indexing documents in chunks keeps citations exact to the page.',
  'Hybrid retrieval fuses keyword and semantic scores with a weight alpha.',
  'A keyword index ranks chunks by BM25 over their terms.',
  'Bên nhận thế chấp có quyền xem xét, kiểm tra trực tiếp tài sản thế chấp.',
];

/** A queued `.txt` upload's job of `userId` (new ids, a random content hash unless `sha256` is given). */
export function txtJob(userId: string, filename: string, sha256: string = randomUUID()): NewJob {
  const fileId = randomUUID();
  return {
    jobId: randomUUID(),
    userId,
    fileId,
    uploadId: null,
    filename,
    extension: 'txt',
    storageKey: `${userId}/${fileId}.txt`,
    category: null,
    size: 10,
    sha256,
  };
}
