import nodemailer from 'nodemailer';

import { isLoopback } from '../../lib/net';
import { AppError } from '../../errors';
import type { MailMessage, Mailer } from '../../ports/mailer';

/**
 * Transport options for `SMTP_URL` (smtp://user:pass@host:587, smtps://… for implicit TLS; nodemailer
 * options may ride along as query parameters, e.g. `?ignoreTLS=true`). A plain smtp:// relay on the
 * loopback interface (a local MTA or a test mail catcher) is used without STARTTLS unless the URL asks
 * for it, since such relays rarely hold a certificate for "localhost".
 */
export function smtpTransportOptions(url: string) {
  const parsed = new URL(url);
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const loopback = host === 'localhost' || isLoopback(host);
  const tlsSetting = ['ignoreTLS', 'requireTLS'].some((k) => parsed.searchParams.has(k));
  return {
    url,
    ...(parsed.protocol === 'smtp:' && loopback && !tlsSetting ? { ignoreTLS: true } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  };
}

/** Sends mail through `SMTP_URL`. */
export function createSmtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpTransportOptions(url));
  return {
    // Never the credentials: only where mail goes.
    name: `smtp (${new URL(url).host})`,
    async send(message: MailMessage) {
      try {
        await transport.sendMail({ from, ...message });
      } catch (cause) {
        throw new AppError('UNAVAILABLE', 'Không thể gửi email, vui lòng thử lại sau', { cause });
      }
    },
  };
}
