import { MSG_ASK_FAILED, findAppError } from '@rag/core';
import { AskNoFileBody, AskQuery, QuestionRequest } from '@rag/core/contract';
import { z } from 'zod';

import { requestSignal } from '../caller';
import { openSse, pipeSse, type SseEvent } from '../sse';
import { defineRoute } from './route';

const STREAM_DESCRIPTION = [
  'Answers a question from the chosen documents as Server-Sent Events, in this order:',
  '`start` {question_id, conversation_id, search_type, file_id} (before retrieval);',
  '`sources` {sources, filtered_file_id, filtered_sources, question_id, conversation_id};',
  '`content` {content} once per piece of the answer;',
  '`end` {question_id, conversation_id, processing_time, related_questions (3)}.',
  'A failure after the headers sends `error` {error: true, message, question_id, conversation_id} and ends',
  'the stream. A `: ping` comment every 15 s keeps idle proxies open. Disconnecting stops the answer; the',
  'part written so far is saved, marked interrupted.',
].join(' ');

const ErrorBody = z.object({ detail: z.string() });

/** Remembers the stream's ids so a late framework error can still name them. */
async function* tapIds(
  events: AsyncIterable<SseEvent>,
  ids: { question_id: string; conversation_id: string },
) {
  for await (const e of events) {
    if (e.event === 'start') Object.assign(ids, e.data as typeof ids);
    yield e;
  }
}

export const askRoutes = [
  defineRoute({
    method: 'post',
    path: '/ask/stream',
    summary: 'Ask a question; the grounded answer streams as SSE',
    description: STREAM_DESCRIPTION,
    tags: ['ask'],
    auth: 'bearer',
    query: AskQuery,
    body: QuestionRequest,
    responses: {
      200: {
        description: 'The answer stream',
        contentType: 'text/event-stream',
        schema: z.string(),
      },
      400: {
        description: "No file_id chosen: the caller's indexed files are listed",
        schema: AskNoFileBody,
      },
      404: {
        description: "A file_id or conversation_id that is not the caller's",
        schema: ErrorBody,
      },
      429: {
        description:
          'The caller already has ASK_CONCURRENCY_PER_USER answers in progress on this gateway (default 4); nothing is recorded',
        schema: ErrorBody,
      },
    },
    handler: async ({ res, call, query, body }) => {
      const api = await call();
      // Validation and ownership checks run here, before any header is sent (400 / 404 stay JSON).
      const events = await api.ask.stream({ ...body, ...query });
      const ids = { question_id: '', conversation_id: '' };
      openSse(res);
      await pipeSse(res, tapIds(events, ids), {
        signal: requestSignal(res),
        onError: (err) => ({
          event: 'error',
          data: { error: true, message: findAppError(err)?.message ?? MSG_ASK_FAILED, ...ids },
        }),
      });
    },
  }),
];
