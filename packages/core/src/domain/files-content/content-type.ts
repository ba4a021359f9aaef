/** Content types of the formats uploads accept (the extension was checked at upload). */
const TYPES: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.sql': 'application/sql; charset=utf-8',
};

export function contentTypeFor(extension: string): string {
  return TYPES[extension.toLowerCase()] ?? 'application/octet-stream';
}

// RFC 6266 / RFC 8187: the ASCII fallback must not contain quotes, backslashes or controls.
const ASCII_SAFE = /^[\x20-\x7e]*$/;

function encodeRfc8187(value: string): string {
  // encodeURIComponent leaves ' ( ) * ! unescaped; attr-char does not allow them.
  return encodeURIComponent(value).replace(
    /['()*!]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** `attachment; filename="…"` plus `filename*=UTF-8''…` when the name is not plain ASCII. */
export function attachmentDisposition(filename: string): string {
  const fallback = filename
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]|["\\]/g, '_');
  const plain = ASCII_SAFE.test(filename) && !/["\\]/.test(filename);
  return plain
    ? `attachment; filename="${filename}"`
    : `attachment; filename="${fallback}"; filename*=UTF-8''${encodeRfc8187(filename)}`;
}
