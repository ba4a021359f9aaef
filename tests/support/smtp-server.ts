import type { AddressInfo } from 'node:net';

import { SMTPServer } from 'smtp-server';
import { vi } from 'vitest';

export type CapturedMail = {
  from: string;
  to: string[];
  subject: string;
  text: string;
  raw: string;
};

export type SmtpCapture = {
  /** `smtp://127.0.0.1:<port>` — what SMTP_URL should be. */
  url: string;
  messages: CapturedMail[];
  /** Waits until a message for `to` arrives after the first `skip` messages (mail is sent in the background). */
  waitFor(to: string, skip?: number): Promise<CapturedMail>;
  close(): Promise<void>;
};

function decodeBody(headers: string, body: string): string {
  const encoding = /^content-transfer-encoding:\s*(\S+)/im.exec(headers)?.[1]?.toLowerCase();
  if (encoding === 'base64')
    return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    const joined = body.replace(/=\r?\n/g, '');
    const bytes: number[] = [];
    for (let i = 0; i < joined.length; i++) {
      const hex = joined.slice(i + 1, i + 3);
      if (joined[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
        bytes.push(parseInt(hex, 16));
        i += 2;
      } else {
        bytes.push(...Buffer.from(joined[i]!, 'utf8'));
      }
    }
    return Buffer.from(bytes).toString('utf8');
  }
  return body;
}

function decodeSubject(value: string): string {
  // RFC 2047 encoded words (=?UTF-8?Q?…?= / =?UTF-8?B?…?=), as nodemailer writes non-ASCII subjects.
  return value.replace(/=\?utf-8\?([QB])\?([^?]*)\?=\s*/gi, (_m, kind: string, data: string) =>
    kind.toUpperCase() === 'B'
      ? Buffer.from(data, 'base64').toString('utf8')
      : decodeBody('content-transfer-encoding: quoted-printable', data.replace(/_/g, ' ')),
  );
}

/** A real SMTP server on 127.0.0.1 (no TLS, no auth) that keeps every message it receives. */
export async function startSmtpCapture(): Promise<SmtpCapture> {
  const messages: CapturedMail[] = [];
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const split = raw.search(/\r?\n\r?\n/);
        const headers = raw.slice(0, split).replace(/\r?\n[ \t]+/g, ' ');
        const body = raw.slice(split).replace(/^\r?\n\r?\n/, '');
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: decodeSubject(/^subject:\s*(.*)$/im.exec(headers)?.[1] ?? ''),
          text: decodeBody(headers, body),
          raw,
        });
        callback();
      });
    },
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.server.once('listening', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    async waitFor(to, skip = 0) {
      return vi.waitFor(
        () => {
          const found = messages.slice(skip).find((m) => m.to.includes(to));
          if (!found) throw new Error(`no mail for ${to} yet`);
          return found;
        },
        { timeout: 60_000, interval: 20 },
      );
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
