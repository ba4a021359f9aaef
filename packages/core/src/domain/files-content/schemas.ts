import { z } from 'zod';

export const FileContentParams = z.object({ file_id: z.string().trim().min(1).max(200) });
export type FileContentParams = z.infer<typeof FileContentParams>;

export const FilePageParams = FileContentParams.extend({
  page: z.coerce.number().int().min(1).max(1_000_000),
});
export type FilePageParams = z.infer<typeof FilePageParams>;

/** One chunk on the page; `start`/`end` are character offsets into the page's `text`. */
export const PageChunkSchema = z.object({
  chunk_index: z.number().int(),
  start: z.number().int(),
  end: z.number().int(),
});

export const FilePageResponse = z.object({
  file_id: z.string(),
  filename: z.string(),
  page: z.number().int(),
  page_count: z.number().int(),
  text: z.string(),
  chunks: z.array(PageChunkSchema),
});
export type FilePageResponse = z.infer<typeof FilePageResponse>;
