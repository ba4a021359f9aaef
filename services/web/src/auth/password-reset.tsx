import { A } from '@solidjs/router';
import { createSignal, Show, type JSX } from 'solid-js';

import { messageOf, publicApi } from '../lib/api';
import { loginEmail } from '../lib/drafts';
import { t } from '../lib/i18n';
import { Field, Notice } from '../ui/field';
import { AuthCard } from './auth-card';

/** Where the mailed link should open: the reset page of this app (used when the server allows the origin). */
export const resetPageUrl = () => `${location.origin}/app/reset`;

/**
 * The link in the mail carries `#access_token=…&type=recovery` (Supabase's shape). Read once at start,
 * wherever it landed under /app, then taken out of the address bar so it is not left in history.
 */
export function takeRecoveryToken(loc: Location = location): string | null {
  const hash = new URLSearchParams(loc.hash.replace(/^#/, ''));
  const token = hash.get('access_token');
  if (!token || hash.get('type') !== 'recovery') return null;
  history.replaceState(history.state, '', loc.pathname + loc.search);
  return token;
}

let recoveryToken: string | null = null;
export function rememberRecoveryToken(token: string) {
  recoveryToken = token;
}

export function ForgotPage(): JSX.Element {
  const [email, setEmail] = loginEmail;
  const [error, setError] = createSignal<string | null>(null);
  const [info, setInfo] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  async function submit(e: SubmitEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setInfo(null);
    try {
      const res = await publicApi.auth.forgotPassword.mutate({
        email: email(),
        redirect_to: resetPageUrl(),
      });
      setInfo(res.message);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <AuthCard title={t.forgotTitle}>
      <p>{t.forgotHelp}</p>
      <form onSubmit={(e) => void submit(e)}>
        <Field
          label={t.email}
          type="email"
          value={email()}
          onInput={setEmail}
          autocomplete="email"
          required
          autofocus
        />
        <Notice error={error()} info={info()} />
        <button type="submit" class="primary wide" disabled={busy()}>
          {t.sendLink}
        </button>
      </form>
      <nav class="auth-links" aria-label={t.appName}>
        <A href="/login">{t.backToLogin}</A>
      </nav>
    </AuthCard>
  );
}

export function ResetPage(): JSX.Element {
  const [password, setPassword] = createSignal('');
  const [error, setError] = createSignal<string | null>(null);
  const [done, setDone] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const token = recoveryToken ?? takeRecoveryToken();
  async function submit(e: SubmitEvent) {
    e.preventDefault();
    if (!token) return;
    setBusy(true);
    setError(null);
    try {
      const res = await publicApi.auth.resetPassword.mutate({
        password: password(),
        access_token: token,
      });
      setDone(res.message);
      recoveryToken = null;
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <AuthCard title={t.resetTitle}>
      <Show when={token} fallback={<Notice error={t.resetNoToken} />}>
        <Show
          when={!done()}
          fallback={
            <>
              <Notice info={`${done()} ${t.resetDone}`} />
              <A href="/login">{t.logIn}</A>
            </>
          }
        >
          <form onSubmit={(e) => void submit(e)}>
            <Field
              label={t.newPassword}
              type="password"
              value={password()}
              onInput={setPassword}
              autocomplete="new-password"
              hint={t.passwordRules}
              required
              autofocus
            />
            <Notice error={error()} />
            <button type="submit" class="primary wide" disabled={busy()}>
              {t.resetSubmit}
            </button>
          </form>
        </Show>
      </Show>
      <nav class="auth-links" aria-label={t.appName}>
        <A href="/forgot">{t.forgotTitle}</A>
      </nav>
    </AuthCard>
  );
}
