import { createClient, type SupportedStorage } from '@supabase/supabase-js';
import WebSocket from 'ws';

export const STORAGE_KEY = 'rag';
/** Where supabase-js keeps the PKCE verifier of the flow it just started (no flow-id parameter in use). */
export const VERIFIER_KEY = `${STORAGE_KEY}-code-verifier`;

/**
 * A storage that lives and dies with one client: nothing is shared between requests or users. supabase-js
 * stores JSON-encoded values; `initial` and `peek` speak plain strings.
 */
export function memoryStorage(
  initial: Record<string, string> = {},
): SupportedStorage & { peek(key: string): string | null } {
  const items = new Map(Object.entries(initial).map(([k, v]) => [k, JSON.stringify(v)]));
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
    peek(key) {
      const raw = items.get(key);
      if (raw === undefined) return null;
      const value: unknown = JSON.parse(raw);
      return typeof value === 'string' ? value : null;
    },
  };
}

export type SupabaseTarget = { url: string; key: string };

/** What createClient makes when given no database types (we only use `client.auth`, never PostgREST). */
export type AuthClient = ReturnType<typeof createClient>;

/**
 * A NEW client for each request or flow step. supabase-js clients are stateful (session, PKCE verifier);
 * the original shared one client between all users and leaked sessions across them. Node 20 has no
 * native WebSocket, so the realtime transport comes from `ws` (createClient throws without one).
 */
export function newSupabaseClient(
  target: SupabaseTarget,
  opts: { flowType?: 'pkce' | 'implicit'; storage?: SupportedStorage } = {},
): AuthClient {
  return createClient(target.url, target.key, {
    auth: {
      // supabase-js ignores `storage` unless sessions "persist"; with a per-client memory storage that
      // persistence ends with the client, which is what a PKCE flow step needs to hand its verifier over.
      persistSession: opts.storage !== undefined,
      autoRefreshToken: false,
      detectSessionInUrl: false,
      flowType: opts.flowType ?? 'implicit',
      ...(opts.storage ? { storage: opts.storage, storageKey: STORAGE_KEY } : {}),
    },
    // The one cast left: ws's handlers take ws's own Event types, realtime-js's WebSocketLike the DOM's,
    // so the types cannot meet although realtime-js reads only what ws's events carry (data, code,
    // reason). Realtime is never connected here (auth only); Node 22+ could pass globalThis.WebSocket.
    // eslint-disable-next-line no-restricted-syntax -- the one cast left, for the reason above
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
  });
}

/** Plain HTTP to GoTrue for the few endpoints supabase-js only offers through a stored session. */
export async function gotrue(
  target: SupabaseTarget,
  path: string,
  init: { method?: string; bearer?: string; body?: unknown; signal?: AbortSignal } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${target.url.replace(/\/+$/, '')}/auth/v1${path}`, {
    method: init.method ?? 'GET',
    headers: {
      apikey: target.key,
      authorization: `Bearer ${init.bearer ?? target.key}`,
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: init.signal ?? AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = text ? JSON.parse(text) : {};
    if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
  } catch {
    body = { message: text.slice(0, 200) };
  }
  return { status: res.status, body };
}
