import { createSignal } from 'solid-js';

/** What a sign-in returns that the app keeps (access + refresh token, the user). */
export type Session = {
  accessToken: string;
  refreshToken: string | null;
  /** Epoch ms after which the access token is refused; null when the server gave no lifetime. */
  expiresAt: number | null;
  user: { id: string; email: string };
};

type AuthAnswer = {
  access_token: string;
  refresh_token: string | null;
  expires_in: number | null;
  user: { id: string; email: string };
};

const KEY = 'rag.session';

function load(): Session | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

const [session, setSessionSignal] = createSignal<Session | null>(load());
/** True once a session ended on its own (expired, revoked): the login page says so. */
const [expired, setExpired] = createSignal(false);

export { expired, session };

export function sessionFrom(answer: AuthAnswer, now = Date.now()): Session {
  return {
    accessToken: answer.access_token,
    refreshToken: answer.refresh_token,
    expiresAt: answer.expires_in ? now + answer.expires_in * 1000 : null,
    user: { id: answer.user.id, email: answer.user.email },
  };
}

export function setSession(next: Session | null, reason: 'signed-in' | 'signed-out' | 'expired') {
  if (next) localStorage.setItem(KEY, JSON.stringify(next));
  else localStorage.removeItem(KEY);
  setExpired(reason === 'expired');
  setSessionSignal(next);
}

// Another tab signing in or out applies here too.
window.addEventListener('storage', (e) => {
  if (e.key === KEY) setSessionSignal(load());
});
