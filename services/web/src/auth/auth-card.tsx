import type { JSX } from 'solid-js';

import { t } from '../lib/i18n';

/** The centred card every account page uses. */
export function AuthCard(props: { title: string; children: JSX.Element }): JSX.Element {
  return (
    <main id="main" class="auth-page">
      <div class="auth-card">
        <p class="brand" aria-hidden="true">
          {t.appName}
        </p>
        <h1>{props.title}</h1>
        {props.children}
      </div>
    </main>
  );
}
