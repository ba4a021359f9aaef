import { pipeline } from 'node:stream/promises';

import { attachmentDisposition, fileContent, type Deps } from '@rag/core';
import { FileContentParams, FilePageParams, FilePageResponse } from '@rag/core/contract';
import { z } from 'zod';

import { requestSignal } from '../caller';
import { defineRoute } from './route';

const ErrorBody = z.object({ detail: z.string() });

export function fileContentRoutes(deps: Deps) {
  return [
    defineRoute({
      method: 'get',
      path: '/files/:file_id/content',
      summary: 'Download the stored original of a file',
      description:
        'Streams the bytes as uploaded, with their content type and a `Content-Disposition: attachment` ' +
        "filename (RFC 6266; `filename*=UTF-8''…` for non-ASCII names).",
      tags: ['files'],
      auth: 'bearer',
      params: FileContentParams,
      responses: {
        200: { description: 'The original file', contentType: 'application/octet-stream' },
        404: { description: "Missing, or not the caller's", schema: ErrorBody },
      },
      handler: async ({ call, params, res }) => {
        // The caller authenticates; its user id scopes the lookup.
        const me = await (await call()).auth.me();
        const file = await fileContent(deps, me.id, params.file_id);
        res.status(200);
        res.setHeader('content-type', file.contentType);
        res.setHeader('content-length', String(file.size));
        res.setHeader('content-disposition', attachmentDisposition(file.filename));
        res.setHeader('x-content-type-options', 'nosniff');
        // A client that leaves mid-download ends the read (the pipeline rejects; nothing to answer).
        await pipeline(file.open(), res, { signal: requestSignal(res) }).catch(() => {
          if (!res.headersSent) throw new Error('stored file could not be read');
          res.destroy();
        });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/files/:file_id/pages/:page',
      summary: "One page's extracted text and the chunk offsets on it",
      description:
        'For paged documents (PDF). `chunks[].start/end` are offsets into `text`. The text is re-extracted ' +
        'from the stored original with the ingestion parser.',
      tags: ['files'],
      auth: 'bearer',
      params: FilePageParams,
      responses: {
        200: { description: 'The page', schema: FilePageResponse },
        404: { description: "Missing file, not the caller's, or no such page", schema: ErrorBody },
      },
      handler: async ({ call, params }) => (await call()).files.page(params),
    }),
  ];
}
