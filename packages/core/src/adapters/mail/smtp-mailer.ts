import nodemailer from 'nodemailer';

import { AppError } from '../../errors';
import type { MailMessage, Mailer } from '../../ports/mailer';

/** Sends mail through `SMTP_URL` (e.g. smtp://user:pass@host:587). */
export function createSmtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport(url);
  return {
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
