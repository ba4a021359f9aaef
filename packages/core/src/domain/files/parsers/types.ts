/** A structural unit of a document (a page's text, a section, a statement), in document order. */
export type Segment = {
  text: string;
  /** Character offset of `text` in the document's extracted text. */
  offset: number;
  /** 1-based page for paged documents, else null. */
  page: number | null;
  pageLabel: string | null;
  /** Nearest heading / statement label, else null. */
  section: string | null;
  /**
   * May share a chunk with the previous segment even when its section differs (small SQL statements,
   * continuation blocks). Segments with the same page and section always may.
   */
  mergeable?: boolean;
};

export type ParsedDocument = {
  /** Number of pages for paged documents (PDF, text with form feeds), else null. */
  pageCount: number | null;
  segments: AsyncIterable<Segment>;
};

export type DocumentProblem =
  'encrypted' | 'corrupt' | 'empty' | 'image-only' | 'binary' | 'unsupported' | 'too-complex';

/** Why a document cannot be indexed; the ingestion turns it into the contract's 400. */
export class DocumentError extends Error {
  constructor(
    readonly problem: DocumentProblem,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DocumentError';
  }
}

/** The contract's messages for each kind of refusal. */
export const REFUSAL_MESSAGES = {
  empty: 'Không thể tải tài liệu hoặc tài liệu rỗng',
  encrypted:
    'Lỗi khi đọc file: tài liệu được bảo vệ bằng mật khẩu (đã mã hóa), không thể đọc nội dung',
  imageOnly: 'Lỗi khi đọc file: tài liệu chỉ chứa hình ảnh, không có lớp văn bản (cần OCR)',
  unreadableText:
    'Lỗi khi đọc file: lớp văn bản không đọc được (phông chữ không có bảng mã Unicode), cần OCR',
  ocrFoundNothing:
    'Lỗi khi đọc file: tài liệu chỉ chứa hình ảnh và OCR không nhận dạng được văn bản nào',
  binary: 'Lỗi khi đọc file: nội dung là dữ liệu nhị phân, không phải văn bản',
  tooComplex: (detail: string) => `Lỗi khi đọc file: tài liệu vượt quá giới hạn xử lý (${detail})`,
  corrupt: (detail: string) =>
    `Lỗi khi đọc file: tệp bị hỏng hoặc không đúng định dạng (${detail})`,
} as const;
