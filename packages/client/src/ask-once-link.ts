import type { TRPCLink } from '@trpc/client';
import { observable } from '@trpc/server/observable';

import { ASK_CONNECTION_LOST, RagClientError } from './errors.js';
import type { AppRouter } from './server-types.js';

/**
 * `ask.stream` is not idempotent: an EventSource that reconnects after a network error would ask the
 * question again (a second answer, a second pair of messages). Once the stream has connected, a move back
 * to "connecting" ends the subscription with a `CONNECTION_LOST` error instead; the server has already
 * saved the partial answer as interrupted. Other subscriptions (upload progress, e-mail sync) keep
 * reconnecting. Put it before the terminating links when you assemble your own.
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
                new RagClientError(ASK_CONNECTION_LOST, {
                  code: 'CONNECTION_LOST',
                  status: 0,
                  path: op.path,
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
