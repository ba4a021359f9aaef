import { join } from 'node:path';

/** The client's filename reduced to a display name: last path component, NFC, no control characters. */
export function displayFilename(raw: string): string {
  const base = raw.split(/[\\/]/).pop() ?? '';
  // Control characters (C0 and DEL) never belong in a displayed name.
  const clean = [...base.normalize('NFC')]
    .filter((ch) => ch > '\u001f' && ch !== '\u007f')
    .join('')
    .trim();
  return clean.slice(0, 255) || 'file';
}

/** Lower-cased extension with its dot ('' when none), as the contract reports it. */
export function extensionOf(filename: string): string {
  const dot = filename.lastIndexOf('.');
  return dot > 0 ? filename.slice(dot).toLowerCase() : '';
}

/** Server-chosen storage key: the user's folder and the file id (never the client's name). */
export function storageKeyFor(userId: string, fileId: string, ext: string): string {
  return `${userId}/${fileId}${ext}`;
}

/** Where the REST upload spools multipart bodies before ingestion (cleared at start-up). */
export function uploadSpoolDir(dataDir: string): string {
  return join(dataDir, 'tmp', 'uploads');
}
