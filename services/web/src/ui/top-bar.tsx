import { A, useNavigate } from '@solidjs/router';
import type { JSX } from 'solid-js';

import { api } from '../lib/api';
import { t } from '../lib/i18n';
import { session, setSession } from '../lib/session';

export function TopBar(): JSX.Element {
  const navigate = useNavigate();
  async function logOut() {
    // The server revokes the session; locally it ends whatever the answer.
    await api.auth.signOut.mutate().catch(() => undefined);
    navigate('/login', { replace: true });
    setSession(null, 'signed-out');
  }
  return (
    <header class="top-bar">
      <span class="brand">{t.appName}</span>
      <nav aria-label={t.appName} class="main-nav">
        <A href="/" end activeClass="active">
          {t.navChat}
        </A>
        <A href="/documents" activeClass="active">
          {t.navDocuments}
        </A>
      </nav>
      <span class="who" title={t.signedInAs(session()?.user.email ?? '')}>
        {session()?.user.email}
      </span>
      <button type="button" class="ghost" onClick={() => void logOut()}>
        {t.logOut}
      </button>
    </header>
  );
}
