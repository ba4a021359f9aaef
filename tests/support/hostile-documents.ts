import JSZip from 'jszip';
import { PDFDocument, PDFName, StandardFonts } from 'pdf-lib';

import { makePdf } from './fixtures';

/**
 * Hostile documents, small on disk, built in the test run (nothing binary is checked in).
 */

/** A PDF that opens fine but whose second page's content stream is not valid Flate data. */
export async function pdfWithBadFlatePage(): Promise<Uint8Array> {
  const doc = await PDFDocument.load(await makePdf(['A readable first page of text.']));
  const page = doc.addPage([595, 842]);
  const garbage = doc.context.stream(
    new Uint8Array([0x78, 0x9c, 0xff, 0xff, 0x00, 0x13, 0x37, 0x42, 0x99, 0x01, 0x02]),
    { Filter: 'FlateDecode' },
  );
  page.node.set(PDFName.of('Contents'), doc.context.register(garbage));
  return doc.save();
}

/** A PDF whose page content is one Flate stream that inflates to `inflatedMiB` of text operators. */
export async function pdfWithHugeStream(inflatedMiB: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([595, 842]);
  page.drawText('Bomb', { x: 50, y: 800, size: 12, font });
  const op = Buffer.from('BT /F1 12 Tf 50 700 Td (x) Tj ET\n');
  const body = Buffer.alloc(inflatedMiB * 1024 * 1024);
  for (let i = 0; i + op.length <= body.length; i += op.length) op.copy(body, i);
  page.node.set(PDFName.of('Contents'), doc.context.register(doc.context.flateStream(body)));
  return doc.save({ useObjectStreams: false });
}

/** A PDF whose page tree refers to itself (a recursive structure), patched in the saved bytes. */
export async function pdfWithRecursivePages(): Promise<Uint8Array> {
  const doc = await PDFDocument.load(await makePdf(['Looping page tree.']));
  const text = Buffer.from(await doc.save({ useObjectStreams: false })).toString('latin1');
  const looped = text.replace(
    /(\d+) 0 obj\n<<\n\/Type \/Pages\n\/Kids \[ (\d+) 0 R \]/,
    // Same length, so the cross-reference offsets stay right: Kids now names the tree itself.
    (_m, self: string, kid: string) =>
      `${self} 0 obj\n<<\n/Type /Pages\n/Kids [ ${self.padStart(kid.length, '0')} 0 R ]`,
  );
  if (looped === text) throw new Error('page tree not found');
  return new Uint8Array(Buffer.from(looped, 'latin1'));
}

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
const RELS =
  '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>';

/** A DOCX whose `word/document.xml` inflates to `inflatedMiB` of empty paragraphs (`<w:p/>`). */
export async function docxBomb(inflatedMiB: number): Promise<Uint8Array> {
  const head =
    '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>' +
    '<w:p><w:r><w:t>Hello</w:t></w:r></w:p>';
  const tail = '</w:body></w:document>';
  const filler = Buffer.alloc(inflatedMiB * 1024 * 1024 - head.length - tail.length, '<w:p/>');
  const zip = new JSZip();
  zip.file('[Content_Types].xml', CONTENT_TYPES);
  zip.file('_rels/.rels', RELS);
  zip.file('word/document.xml', Buffer.concat([Buffer.from(head), filler, Buffer.from(tail)]));
  return zip.generateAsync({
    type: 'uint8array',
    compression: 'DEFLATE',
    compressionOptions: { level: 9 },
  });
}

/**
 * A DOCX whose central directory lies: it declares a tiny `word/document.xml`, which really inflates to
 * `inflatedMiB`. Only an inflater that counts what it produces notices.
 */
export async function docxLyingSizes(inflatedMiB: number): Promise<Uint8Array> {
  const zip = Buffer.from(await docxBomb(inflatedMiB));
  const name = Buffer.from('word/document.xml');
  // Local header: uncompressed size at +22; central directory header: at +24. Both say 1,000 bytes.
  for (let i = zip.indexOf(name); i !== -1; i = zip.indexOf(name, i + 1)) {
    if (zip.readUInt32LE(i - 30) === 0x04034b50) zip.writeUInt32LE(1000, i - 30 + 22);
    if (zip.readUInt32LE(i - 46) === 0x02014b50) zip.writeUInt32LE(1000, i - 46 + 24);
  }
  return new Uint8Array(zip);
}
