import { findAppError } from '@rag/core';
import { FileProgressParams } from '@rag/core/contract';
import { z } from 'zod';

import { requestSignal } from '../caller';
import { openSse, pipeSse, type SseEvent } from '../sse';
import { defineRoute } from './route';

const ErrorBody = z.object({ detail: z.string() });

const DESCRIPTION = [
  "An upload's stages as Server-Sent Events, from whichever gateway runs its job. Each event is named",
  'by its stage (`uploaded`, `parsed`, `chunked`, `embedded`, `indexed`, `failed`) and carries',
  '{stage, jobId, uploadId, fileId, filename, done, total, pagesDone?, pageCount?, chunks?, reason?}:',
  '`done`/`total` count pages for paged documents, else chunks (total null until indexed). The first',
  "event is the job's current state; the stream ends after `indexed` or `failed` (a finished job answers",
  'its final event at once). A `: ping` comment every 15 s keeps idle proxies open.',
].join(' ');

export const fileProgressRoutes = [
  defineRoute({
    method: 'get',
    path: '/files/:file_id/progress',
    summary: "Follow an upload's ingestion stages (SSE)",
    description: DESCRIPTION,
    tags: ['files'],
    auth: 'bearer',
    params: FileProgressParams,
    responses: {
      200: {
        description: 'The progress stream',
        contentType: 'text/event-stream',
        schema: z.string(),
      },
      404: { description: "No such file or upload, or not the caller's", schema: ErrorBody },
    },
    handler: async ({ res, call, params }) => {
      const api = await call();
      // The 404 comes before any header (the subscription opens before its first event).
      const events = await api.files.progress({ file_id: params.file_id });
      openSse(res);
      await pipeSse(res, stageEvents(events), {
        signal: requestSignal(res),
        onError: (err) => ({
          event: 'error',
          data: {
            error: true,
            message: findAppError(err)?.message ?? 'Lỗi khi theo dõi tiến trình',
          },
        }),
      });
    },
  }),
];

async function* stageEvents(events: AsyncIterable<{ stage: string }>): AsyncGenerator<SseEvent> {
  for await (const e of events) {
    if (e.stage === 'ready') continue; // SSE needs none: the headers are sent once listening
    yield { event: e.stage, data: e };
  }
}
