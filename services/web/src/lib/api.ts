/**
 * The one module that talks to the API, through @rag/client only. Tokens are refreshed before they
 * expire and once more when a call is refused as unauthorised; when that fails the session ends as
 * "expired" and the app shows the login page (drafts live elsewhere, so nothing typed is lost).
 */
import {
  askStream,
  createRagClient,
  isRagClientError,
  toRagClientError,
  uploadFile,
  type AskInput,
  type RagClient,
  type RouterInputs,
  type UploadProgress,
} from '@rag/client';

import { config } from './config';
import { session, sessionFrom, setSession, type Session } from './session';

export type { AskEndData, AskSource, AskStream, RouterOutputs, UploadProgress } from '@rag/client';

const url = `${location.origin}/trpc`;
/** Refresh this long before the access token's expiry, so no request is sent with a dead token. */
const EARLY_MS = 60_000;

/** Anonymous calls: sign-up, login, refresh, password reset, Google. */
export const publicApi: RagClient = createRagClient({ url });

let refreshing: Promise<Session | null> | null = null;

/** One refresh at a time; resolves with the new session, or null (and ends the session) when refused. */
function refresh(current: Session): Promise<Session | null> {
  refreshing ??= (async () => {
    try {
      if (!current.refreshToken) throw new Error('no refresh token');
      const answer = await publicApi.auth.refresh.mutate({ refresh_token: current.refreshToken });
      const next = sessionFrom(answer);
      setSession(next, 'signed-in');
      return next;
    } catch (err) {
      // A network failure keeps the session: the next call may succeed.
      if (isRagClientError(err, 'NETWORK_ERROR')) return current;
      setSession(null, 'expired');
      return null;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

async function token(): Promise<string | null> {
  const s = session();
  if (!s) return null;
  if (s.expiresAt !== null && Date.now() > s.expiresAt - EARLY_MS)
    return (await refresh(s))?.accessToken ?? null;
  return s.accessToken;
}

/** Calls with the signed-in user's token. */
export const api: RagClient = createRagClient({ url, getToken: token });

/** Runs a call; an UNAUTHORIZED answer gets one refresh and one retry before the session ends. */
export async function authed<T>(call: (client: RagClient) => Promise<T>): Promise<T> {
  try {
    return await call(api);
  } catch (err) {
    const s = session();
    if (!isRagClientError(err, 'UNAUTHORIZED') || !s) throw toRagClientError(err);
    if (!(await refresh(s))) throw toRagClientError(err);
    return call(api);
  }
}

/**
 * For calls that cannot simply be retried (an answer stream): after an UNAUTHORIZED failure, true
 * when a refreshed session exists (the caller may try again), false when the session has ended.
 */
export async function recoverSession(err: unknown): Promise<boolean> {
  const s = session();
  if (!isRagClientError(err, 'UNAUTHORIZED') || !s) return false;
  return (await refresh(s)) !== null;
}

/** The user-facing text of any failure (the API's messages are shown as they come). */
export function messageOf(err: unknown): string {
  return toRagClientError(err).message;
}

export function isAborted(err: unknown): boolean {
  return isRagClientError(err, 'ABORTED');
}

export async function ask(input: AskInput) {
  // The subscription reads the token once, when it connects: make sure it is fresh.
  await token();
  return askStream(api, input);
}

export async function upload(
  file: File,
  opts: { category?: string; onProgress: (p: UploadProgress) => void; signal?: AbortSignal },
) {
  await token();
  return authed((client) => uploadFile(client, file, opts));
}

export type ConversationListInput = RouterInputs['conversations']['list'];

/**
 * The stored original of a file. `GET {API_PREFIX}/files/{id}/content` is binary, so it has no tRPC
 * procedure and @rag/client no helper: this is the one place the app uses fetch directly, with the
 * same bearer token (and one refresh on 401) as every other call.
 */
export async function fileContent(fileId: string): Promise<Blob> {
  const path = `${config.api_prefix}/files/${encodeURIComponent(fileId)}/content`;
  const get = async () => {
    const tok = await token();
    return fetch(`${location.origin}${path}`, {
      headers: tok ? { authorization: `Bearer ${tok}` } : {},
    });
  };
  let res = await get();
  const s = session();
  if (res.status === 401 && s && (await refresh(s))) res = await get();
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { detail?: unknown } | null;
    throw new Error(typeof body?.detail === 'string' ? body.detail : `HTTP ${res.status}`);
  }
  return res.blob();
}
