export type MailMessage = { to: string; subject: string; text: string; html?: string };

/** Sends e-mail (SMTP) or records it (dev outbox). */
export interface Mailer {
  /** Human-readable adapter name for the start-up log. */
  readonly name: string;
  send(message: MailMessage): Promise<void>;
}
