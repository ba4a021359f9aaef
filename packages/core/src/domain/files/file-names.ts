import { join } from 'node:path';

/** Longest display name kept, in UTF-16 code units (JavaScript string length). */
export const MAX_FILENAME_LENGTH = 255;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * The longest prefix of `text` within `max` code units that ends on a grapheme boundary (a base letter
 * keeps its combining marks, an emoji its modifiers). A single cluster longer than `max` (a letter under
 * hundreds of marks) is cut between code points instead: never through a surrogate pair.
 */
function prefixWithin(text: string, max: number): string {
  let out = '';
  for (const { segment } of graphemes.segment(text)) {
    if (out.length + segment.length > max) break;
    out += segment;
  }
  if (out !== '' || text === '') return out;
  for (const ch of text) {
    if (out.length + ch.length > max) break;
    out += ch;
  }
  return out;
}

/**
 * A name cut to `MAX_FILENAME_LENGTH`: the stem is shortened and the extension kept, so the stored name, the
 * format check and the listing all see the extension the client sent. An extension too long to keep (no
 * supported one is) is cut with the rest of the name.
 */
function shorten(name: string): string {
  if (name.length <= MAX_FILENAME_LENGTH) return name;
  const ext = name.slice(name.length - extensionOf(name).length);
  if (ext === '' || ext.length >= MAX_FILENAME_LENGTH)
    return prefixWithin(name, MAX_FILENAME_LENGTH);
  return prefixWithin(name.slice(0, -ext.length), MAX_FILENAME_LENGTH - ext.length) + ext;
}

/**
 * The client's filename reduced to a display name: last path component, NFC, no control characters, at most
 * `MAX_FILENAME_LENGTH` code units with its extension kept.
 */
export function displayFilename(raw: string): string {
  const base = raw.split(/[\\/]/).pop() ?? '';
  // Control characters (C0 and DEL) never belong in a displayed name.
  const clean = [...base.normalize('NFC')]
    .filter((ch) => ch > '\u001f' && ch !== '\u007f')
    .join('')
    .trim();
  return shorten(clean) || 'file';
}

/**
 * The stored name of a file uploaded as `name`, when `name` is already a display name (no path, no
 * control characters): NFC, shortened as {@link displayFilename} shortens. What a lookup by name
 * compares, so a name sent in full finds its shortened row and never a different file.
 */
export function storedFilename(name: string): string {
  return shorten(name.normalize('NFC'));
}

/**
 * Lower-cased extension with its dot ('' when none), as the contract reports it. A name that is only an
 * extension (".txt") is a file of that type, unlike node's `path.extname`, which calls it a dotfile.
 */
export function extensionOf(filename: string): string {
  const dot = filename.lastIndexOf('.');
  return dot >= 0 ? filename.slice(dot).toLowerCase() : '';
}

/** Server-chosen storage key: the user's folder and the file id (never the client's name). */
export function storageKeyFor(userId: string, fileId: string, ext: string): string {
  return `${userId}/${fileId}${ext}`;
}

/** Where the REST upload spools multipart bodies before ingestion (cleared at start-up). */
export function uploadSpoolDir(dataDir: string): string {
  return join(dataDir, 'tmp', 'uploads');
}
