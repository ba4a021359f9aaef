import { Navigate, Route, Router, useLocation, useNavigate } from '@solidjs/router';
import { createEffect, Show, type JSX } from 'solid-js';
import { render } from 'solid-js/web';

import './styles.css';

import { GoogleCallbackPage } from './auth/google';
import { LoginPage } from './auth/login';
import {
  ForgotPage,
  rememberRecoveryToken,
  ResetPage,
  takeRecoveryToken,
} from './auth/password-reset';
import { ChatPage } from './chat/chat-page';
import { DocumentsPage } from './documents/documents-page';
import { t } from './lib/i18n';
import { session } from './lib/session';
import { TopBar } from './ui/top-bar';

// A reset link may point at any page of the app (PUBLIC_URL): keep its token and open the reset page.
const recovery = takeRecoveryToken();
if (recovery) {
  rememberRecoveryToken(recovery);
  if (!location.pathname.startsWith('/app/reset')) history.replaceState(null, '', '/app/reset');
}

/** Signed-in pages: without a session, the login page, which brings the person back here after. */
function Private(props: { children: JSX.Element }): JSX.Element {
  const loc = useLocation();
  const navigate = useNavigate();
  createEffect(() => {
    // The router's pathname includes its base; `next` is a path inside the app.
    const here = loc.pathname.replace(/^\/app(?=\/|$)/, '') || '/';
    if (!session())
      navigate(`/login?next=${encodeURIComponent(here + loc.search)}`, { replace: true });
  });
  return (
    <Show when={session()}>
      <div class="app">
        <TopBar />
        {props.children}
      </div>
    </Show>
  );
}

function Shell(props: { children?: JSX.Element }): JSX.Element {
  return (
    <>
      <a class="skip-link" href="#main">
        {t.skipToContent}
      </a>
      {props.children}
    </>
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
render(
  () => (
    <Router base="/app" root={Shell}>
      <Route path="/login" component={() => <LoginPage mode="login" />} />
      <Route path="/signup" component={() => <LoginPage mode="signup" />} />
      <Route path="/forgot" component={ForgotPage} />
      <Route path="/reset" component={ResetPage} />
      <Route path="/auth/callback" component={GoogleCallbackPage} />
      <Route
        path="/documents"
        component={() => (
          <Private>
            <DocumentsPage />
          </Private>
        )}
      />
      <Route
        path={['/', '/c/:id']}
        component={() => (
          <Private>
            <ChatPage />
          </Private>
        )}
      />
      <Route path="*" component={() => <Navigate href="/" />} />
    </Router>
  ),
  root,
);
