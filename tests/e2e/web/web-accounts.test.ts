import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startOidcProvider, type RunningOidcProvider } from '../../support/oidc-provider';
import { startSmtpCapture, type SmtpCapture } from '../../support/smtp-server';
import { manualClock, signUpUser, strongPassword, type TestUser } from '../../support/users';
import { SCREENSHOTS } from './browser';
import { openWebFixture, type WebFixture } from './web-fixture';

/** Account flows in Chromium: the mailed reset link, Google through a real OIDC provider, expiry. */
const clock = manualClock();
let smtp: SmtpCapture;
let idp: RunningOidcProvider;
let web: WebFixture;
let user: TestUser;

beforeAll(async () => {
  smtp = await startSmtpCapture();
  // The provider only knows its clients' redirect URIs up front: it starts once the gateway's port is
  // reserved, before the deps that must name its issuer.
  web = await openWebFixture({
    env: async (url) => {
      const client = {
        client_id: 'rag-web',
        client_secret: 'rag-web-secret',
        redirect_uris: [`${url}/app/auth/callback`],
      };
      idp = await startOidcProvider([client]);
      idp.accounts.set('gina', { email: 'Gina@Example.com', email_verified: true, name: 'Gina' });
      return {
        SMTP_URL: smtp.url,
        MAIL_FROM: 'RAG <rag@example.com>',
        AUTH_REDIRECT_ORIGINS: url,
        GOOGLE_CLIENT_ID: client.client_id,
        GOOGLE_CLIENT_SECRET: client.client_secret,
        OIDC_ISSUER: idp.issuer,
        OIDC_ALLOW_INSECURE: 'true',
      };
    },
    overrides: { clock },
    allowedOrigins: () => [idp.issuer],
  });
  user = await signUpUser(web.deps);
}, 120_000);
afterAll(async () => {
  await web?.close();
  await idp?.close();
  await smtp?.close();
});

const logIn = async (email: string, password: string) => {
  const { page } = web;
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
};

describe('accounts in Chromium', () => {
  it('resets a forgotten password from the mailed link and logs in with the new one', async () => {
    const { page, gw } = web;
    await page.goto(`${gw.url}/app/login`);
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
    const before = smtp.messages.length;
    await page.getByLabel('Email').fill(user.email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await page.getByText('Yêu cầu đặt lại mật khẩu đã được gửi đến email của bạn.').waitFor();

    const mail = await smtp.waitFor(user.email, before);
    const link = /(http\S+#access_token=[\w-]+&type=recovery)/.exec(mail.text)?.[1];
    expect(link?.startsWith(`${gw.url}/app/reset#`)).toBe(true);
    await page.goto(link!);
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    // The token is taken out of the address bar at once.
    expect(page.url()).toBe(`${gw.url}/app/reset`);
    const fresh = strongPassword();
    await page.getByLabel('New password').fill(fresh);
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.getByText('Your password was changed. Log in with the new one.').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'reset-desktop.png') });

    await page.getByRole('link', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await web.expecting(401, async () => {
      await logIn(user.email, user.password);
      await page.getByRole('alert').waitFor();
    });
    await logIn(user.email, fresh);
    await page.getByRole('button', { name: 'Log out' }).waitFor();
    user = { ...user, password: fresh };
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
  });

  it('signs in with Google through the identity provider and back into the app', async () => {
    const { page, gw } = web;
    await page.goto(`${gw.url}/app/login`);
    await page.getByRole('button', { name: 'Continue with Google' }).click();
    // The provider's own login and consent pages.
    await page.waitForURL((url) => url.href.startsWith(idp.issuer));
    await page.locator('input[name="login"]').fill('gina');
    await page.locator('input[name="password"]').fill('any');
    await page.locator('button[type="submit"]').click();
    await page.locator('button[type="submit"]', { hasText: /continue/i }).click();
    await page.waitForURL((url) => url.href.startsWith(`${gw.url}/app`));
    await page.getByRole('button', { name: 'Log out' }).waitFor();
    expect(await page.getByTitle('Signed in as gina@example.com').textContent()).toBe(
      'gina@example.com',
    );
    // The code was used up and taken out of the address bar.
    expect(new URL(page.url()).search).toBe('');
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
  });

  it('sends an expired session to log in while asking, and keeps the typed question', async () => {
    const { page, gw } = web;
    await page.goto(`${gw.url}/app/login`);
    await logIn(user.email, user.password);
    await page.getByRole('button', { name: 'Log out' }).waitFor();
    const question = 'Which court decided the mortgage case?';
    const box = page.getByLabel('Ask a question');
    await box.fill(question);
    // Both tokens run out on the server's clock (past the 30-day refresh token).
    clock.advance(31 * 24 * 3600);
    await web.expecting(401, async () => {
      await box.press('Enter');
      await page.getByText('Your session has ended').waitFor();
    });
    await page.screenshot({ path: join(SCREENSHOTS, 'expired-desktop.png') });
    expect(await page.getByLabel('Email').inputValue()).toBe(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('button', { name: 'Log out' }).waitFor();
    expect(await page.getByLabel('Ask a question').inputValue()).toBe(question);
  });

  it('logged no console errors and loaded nothing from elsewhere', () => {
    expect(web.problems).toEqual([]);
    expect(web.foreignRequests).toEqual([]);
  });
});
