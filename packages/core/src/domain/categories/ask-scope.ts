import { z } from 'zod';

import type { Deps } from '../../ports/deps';
import { type AppError } from '../../errors';
import { MAX_CATEGORY_LENGTH } from '../files';
import { fileIdsInCategories } from './scope';

/** The ask's optional `category`: one name or a list; scopes the question to the caller's files in it. */
export const AskCategory = z
  .union([
    z.string().trim().min(1).max(MAX_CATEGORY_LENGTH),
    z.array(z.string().trim().min(1).max(MAX_CATEGORY_LENGTH)).max(50),
  ])
  .nullish()
  .meta({
    description:
      "Optional category (or list): asks over the caller's files in it — all of them when `file_id` is " +
      'absent, else only the chosen files that are in it',
  });

export const askCategories = (c: string | string[] | null | undefined): string[] =>
  c == null ? [] : Array.isArray(c) ? c : [c];

export const msgNoFileInCategory = (categories: string[]) =>
  `Không có tài liệu nào thuộc danh mục: ${categories.join(', ')}`;

/**
 * Narrows an ask's (already owned) files to the categories; with no files chosen, takes every indexed
 * file in them. Nothing left is the documented 400 shape, naming the categories.
 */
export async function narrowToCategories(
  deps: Pick<Deps, 'files'>,
  userId: string,
  fileIds: string[],
  categories: string[],
  noFile: (message: string) => Promise<AppError>,
): Promise<string[]> {
  const inCategory = await fileIdsInCategories(deps, userId, categories, { indexedOnly: true });
  const allowed = new Set(inCategory);
  const scoped = fileIds.length ? fileIds.filter((id) => allowed.has(id)) : inCategory;
  if (scoped.length === 0) throw await noFile(msgNoFileInCategory(categories));
  return scoped;
}
