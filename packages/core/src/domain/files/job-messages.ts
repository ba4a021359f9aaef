/** User-facing texts of ingestion jobs (the contract's Vietnamese). */
export const JOB_MESSAGES = {
  accepted: 'Đã nhận tài liệu, đang xử lý trong nền',
  interrupted:
    'Lỗi khi xử lý tài liệu: quá trình xử lý bị gián đoạn nhiều lần (máy chủ khởi động lại)',
  failedGeneric: 'Lỗi khi xử lý tài liệu',
  idle: 'Chưa có tài liệu nào được xử lý',
  running: (filename: string, stage: string, waiting: number) =>
    `Đang xử lý tài liệu ${filename} (giai đoạn: ${stage})` +
    (waiting > 0 ? `; còn ${waiting} tài liệu đang chờ` : ''),
  completed: (n: number, filename: string) =>
    `Đã xử lý xong ${n} tài liệu; tài liệu gần nhất: ${filename}`,
  error: (filename: string, reason: string) => `Lỗi khi xử lý tài liệu ${filename}: ${reason}`,
  noSuchFile: (fileId: string) => `File ${fileId} không tồn tại`,
} as const;

/** Vietnamese names of the stages, for status messages. */
export const STAGE_NAMES: Record<string, string> = {
  uploaded: 'đã tải lên, chờ xử lý',
  parsed: 'đã đọc nội dung',
  chunked: 'đang chia đoạn',
  embedded: 'đang tạo vector và lập chỉ mục',
  indexed: 'hoàn tất',
  failed: 'thất bại',
};
