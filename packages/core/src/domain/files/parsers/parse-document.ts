import { parseBudget, type ParseBudget } from './budget';
import { parseMarkdown } from './markdown-parser';
import { parsePdf } from './pdf-parser';
import { parseSql } from './sql-parser';
import { parseText } from './text-parser';
import type { ParsedDocument } from './types';

export const SUPPORTED_EXTENSIONS = ['.pdf', '.docx', '.txt', '.sql', '.md'] as const;
export type SupportedExtension = (typeof SUPPORTED_EXTENSIONS)[number];

export function isSupportedExtension(ext: string): ext is SupportedExtension {
  return (SUPPORTED_EXTENSIONS as readonly string[]).includes(ext);
}

/**
 * Opens a stored document with the parser for its extension (the content is sniffed by each parser),
 * within `budget` (inflated bytes, time).
 */
export async function parseDocument(
  path: string,
  ext: SupportedExtension,
  budget: ParseBudget = parseBudget(50),
): Promise<ParsedDocument> {
  switch (ext) {
    case '.pdf':
      return parsePdf(path, budget);
    case '.docx': {
      // mammoth and its zip/XML stack load on the first DOCX, not at every start-up.
      const { parseDocx } = await import('./docx-parser');
      return parseDocx(path, budget);
    }
    case '.md':
      return parseMarkdown(path);
    case '.sql':
      return parseSql(path);
    case '.txt':
      return parseText(path);
  }
}
