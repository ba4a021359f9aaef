import { TRPCClientError, type TRPCLink } from '@trpc/client';
import { observable } from '@trpc/server/observable';

import type { AppRouter } from '@rag/core';

/** Shown when an answer's connection drops: the question is not sent again. */
export const ASK_CONNECTION_LOST =
  'Mất kết nối trong khi trả lời; câu hỏi không được gửi lại (phần trả lời dở dang đã được lưu trong cuộc hội thoại).';

/**
 * `ask.stream` is not idempotent: an EventSource that reconnects after a network error would ask the
 * question again (a second answer, a second pair of messages). Once the stream has connected, a move back
 * to "connecting" ends the subscription with an error instead; the server has already saved the partial
 * answer as interrupted. Other subscriptions (upload progress, e-mail sync) keep reconnecting.
 */
export const askOnceLink: TRPCLink<AppRouter> =
  () =>
  ({ op, next }) =>
    observable((observer) => {
      let connected = false;
      const sub = next(op).subscribe({
        next(envelope) {
          const result = envelope.result;
          if (op.path === 'ask.stream' && 'type' in result && result.type === 'state') {
            if (result.state === 'pending') connected = true;
            else if (result.state === 'connecting' && connected) {
              observer.error(
                new TRPCClientError<AppRouter>(ASK_CONNECTION_LOST, {
                  cause: result.error ?? undefined,
                }),
              );
              sub.unsubscribe();
              return;
            }
          }
          observer.next(envelope);
        },
        error: (err) => observer.error(err),
        complete: () => observer.complete(),
      });
      return () => sub.unsubscribe();
    });
