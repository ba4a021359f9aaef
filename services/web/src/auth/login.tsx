import { A, useNavigate, useSearchParams } from '@solidjs/router';
import { createSignal, Show, type JSX } from 'solid-js';

import { messageOf, publicApi } from '../lib/api';
import { config } from '../lib/config';
import { loginEmail } from '../lib/drafts';
import { t } from '../lib/i18n';
import { expired, sessionFrom, setSession } from '../lib/session';
import { Field, Notice } from '../ui/field';
import { AuthCard } from './auth-card';
import { GoogleButton } from './google';

/** Where to go after signing in: the page the person was sent away from, if it is one of ours. */
export function nextPath(next: string | string[] | undefined): string {
  const v = Array.isArray(next) ? next[0] : next;
  return v && v.startsWith('/') && !v.startsWith('//') ? v : '/';
}

export function LoginPage(props: { mode: 'login' | 'signup' }): JSX.Element {
  const [email, setEmail] = loginEmail;
  const [password, setPassword] = createSignal('');
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const signup = () => props.mode === 'signup';

  async function submit(e: SubmitEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const input = { email: email(), password: password() };
      const answer = signup()
        ? await publicApi.auth.signUp.mutate(input)
        : await publicApi.auth.signIn.mutate(input);
      setSession(sessionFrom(answer), 'signed-in');
      navigate(nextPath(params.next), { replace: true });
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthCard title={signup() ? t.signUpTitle : t.logInTitle}>
      <Show when={expired() && !signup()}>
        <Notice info={t.sessionExpired} />
      </Show>
      <form onSubmit={(e) => void submit(e)} novalidate={false}>
        <Field
          label={t.email}
          type="email"
          value={email()}
          onInput={setEmail}
          autocomplete="email"
          required
          autofocus
        />
        <Field
          label={t.password}
          type="password"
          value={password()}
          onInput={setPassword}
          autocomplete={signup() ? 'new-password' : 'current-password'}
          hint={signup() ? t.passwordRules : undefined}
          required
        />
        <Notice error={error()} />
        <button type="submit" class="primary wide" disabled={busy()}>
          {signup() ? t.signUp : t.logIn}
        </button>
      </form>
      <Show when={config.google}>
        <p class="divider">
          <span>{t.orDivider}</span>
        </p>
        <GoogleButton onError={setError} />
      </Show>
      <nav class="auth-links" aria-label={t.appName}>
        <Show
          when={signup()}
          fallback={
            <>
              <A href="/forgot">{t.forgotLink}</A>
              <span>
                {t.noAccount} <A href={`/signup${location.search}`}>{t.signUp}</A>
              </span>
            </>
          }
        >
          <span>
            {t.haveAccount} <A href={`/login${location.search}`}>{t.logIn}</A>
          </span>
        </Show>
      </nav>
    </AuthCard>
  );
}
