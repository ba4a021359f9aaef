import { EventSource } from 'eventsource';

import { createRagClient, type RagClient } from '@rag/client';

import type { SyncBackend } from './sync-backend';

export type GatewayOptions = {
  /** Base URL of the gateway, e.g. http://127.0.0.1:8001 (the client talks to `<url>/trpc`). */
  gatewayUrl: string;
  serviceKey?: string | undefined;
};

export function createServiceClient(opts: GatewayOptions): RagClient {
  return createRagClient({
    url: `${opts.gatewayUrl.replace(/\/+$/, '')}/trpc`,
    getToken: () => opts.serviceKey,
    EventSource,
  });
}

/**
 * Drives the gateway when it runs on the embedded database (which no other process can open): the
 * `chatHistory.onInserted` subscription (SSE) announces new rows, the sync procedures do the work.
 */
export function createGatewayBackend(opts: GatewayOptions): SyncBackend {
  const client = createServiceClient(opts);
  return {
    name: `gateway ${opts.gatewayUrl} (@rag/client)`,
    sweep: () => client.chatHistory.syncAllPending.mutate(),
    syncRange: (range) => client.chatHistory.syncRange.mutate(range),
    watch(handlers) {
      const sub = client.chatHistory.onInserted.subscribe(undefined, {
        onData: (event) => (event.type === 'ready' ? handlers.onReady() : handlers.onInsert(event)),
        onError: (err) => handlers.onError(err),
        // The link would retry on its own at a fixed pace; the service applies its back-off instead.
        onConnectionStateChange: (state) => {
          if (state.state === 'connecting' && state.error) handlers.onError(state.error);
        },
        onComplete: () => handlers.onError(new Error('the gateway ended the subscription')),
      });
      return Promise.resolve(() => {
        sub.unsubscribe();
        return Promise.resolve();
      });
    },
    close: () => Promise.resolve(),
  };
}
