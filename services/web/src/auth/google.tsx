import { useNavigate, useSearchParams } from '@solidjs/router';
import { createSignal, onMount, type JSX } from 'solid-js';

import { messageOf, publicApi } from '../lib/api';
import { t } from '../lib/i18n';
import { sessionFrom, setSession } from '../lib/session';
import { Notice } from '../ui/field';
import { AuthCard } from './auth-card';

/** Where the identity provider sends the browser back (no query: the server forbids one). */
export const googleCallbackUrl = () => `${location.origin}/app/auth/callback`;

export function GoogleButton(props: { onError: (message: string) => void }): JSX.Element {
  const [busy, setBusy] = createSignal(false);
  async function start() {
    setBusy(true);
    try {
      const { url } = await publicApi.auth.googleUrl.query({ redirect_url: googleCallbackUrl() });
      location.assign(url);
    } catch (err) {
      props.onError(messageOf(err));
      setBusy(false);
    }
  }
  return (
    <button type="button" class="wide" onClick={() => void start()} disabled={busy()}>
      {t.google}
    </button>
  );
}

/** `/app/auth/callback?code=…&state=…`: trades the code for our tokens. */
export function GoogleCallbackPage(): JSX.Element {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [error, setError] = createSignal<string | null>(null);
  onMount(async () => {
    const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
    try {
      if (one(params.error)) {
        await publicApi.auth.googleCallback.mutate({ error: one(params.error) });
      }
      const answer = await publicApi.auth.google.mutate({
        code: one(params.code) ?? null,
        state: one(params.state) ?? null,
        iss: one(params.iss) ?? null,
      });
      setSession(sessionFrom(answer), 'signed-in');
      navigate('/', { replace: true });
    } catch (err) {
      setError(messageOf(err));
    }
  });
  return (
    <AuthCard title={t.google}>
      <Notice info={error() ? null : t.googleSigningIn} error={error()} />
      <a href="/app/login">{t.backToLogin}</a>
    </AuthCard>
  );
}
