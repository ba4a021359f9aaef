import type { Mailer } from '../../ports/mailer';

/** For processes that must never send mail (the e-mail sync service); a send is a bug there. */
export function createNoopMailer(purpose: string): Mailer {
  return {
    name: `none (${purpose})`,
    send: () => Promise.reject(new Error(`${purpose} sends no mail`)),
  };
}
