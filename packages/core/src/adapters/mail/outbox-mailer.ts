import type { Logger } from 'pino';

import type { Db } from '../../db/database';
import { mailOutbox } from '../../db/schema';
import type { MailMessage, Mailer } from '../../ports/mailer';

/** Without SMTP: mail goes to the `mail_outbox` table and the log (links stay usable in development). */
export function createOutboxMailer(db: Db, log: Logger): Mailer {
  return {
    name: 'outbox (no SMTP_URL)',
    async send(message: MailMessage) {
      await db
        .insert(mailOutbox)
        .values({ to: message.to, subject: message.subject, text: message.text });
      log.info(
        { to: message.to, subject: message.subject, text: message.text },
        'mail written to outbox',
      );
    },
  };
}
