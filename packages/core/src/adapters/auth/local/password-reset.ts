import { and, eq, gt, gte, isNull, lt } from 'drizzle-orm';
import type { Logger } from 'pino';

import { AuthMessages } from '../../../domain/auth/messages';
import type { Db } from '../../../db/database';
import { passwordResetTokens, users } from '../../../db/schema';
import { AppError } from '../../../errors';
import type { Clock } from '../../../ports/clock';
import type { Mailer } from '../../../ports/mailer';
import { hashToken, randomToken } from '../opaque-tokens';
import { hashPassword, verifyPassword } from './passwords';
import type { SessionStore } from './sessions';
import type { UsersRepo } from './users-repo';

/** At most this many reset mails per account per hour, so the endpoint cannot be used to flood a mailbox. */
const MAX_MAILS_PER_HOUR = 5;

type Options = {
  db: Db;
  clock: Clock;
  log: Logger;
  mailer: Mailer;
  users: UsersRepo;
  sessions: SessionStore;
  ttlSeconds: number;
  /** Where reset links point when the request names no allowed `redirect_to` (PUBLIC_URL). */
  defaultRedirect?: string;
};

/** The link a user clicks: Supabase's shape (`#access_token=…&type=recovery`), so the same front end works. */
function resetLink(base: string | undefined, token: string): string | null {
  if (!base) return null;
  const url = new URL(base);
  url.hash = `access_token=${token}&type=recovery`;
  return url.toString();
}

function resetMail(email: string, token: string, link: string | null, ttlSeconds: number) {
  const minutes = Math.round(ttlSeconds / 60);
  const lines = [
    'Xin chào,',
    '',
    `Chúng tôi nhận được yêu cầu đặt lại mật khẩu cho tài khoản ${email}.`,
    ...(link ? ['', `Mở liên kết sau để đặt lại mật khẩu: ${link}`] : []),
    '',
    `Mã đặt lại mật khẩu (trường access_token của POST /auth/reset-password): ${token}`,
    '',
    `Mã có hiệu lực trong ${minutes} phút và chỉ dùng được một lần.`,
    'Nếu bạn không yêu cầu đặt lại mật khẩu, hãy bỏ qua email này.',
  ];
  return { to: email, subject: 'Đặt lại mật khẩu', text: lines.join('\n') };
}

/** Single-use, expiring reset tokens (hashed at rest) delivered by the mailer. */
export function createPasswordReset(opts: Options) {
  const { db, clock, log, mailer } = opts;

  return {
    /** Never reveals whether the account exists: unknown e-mails are silently ignored. */
    async request(email: string, redirectTo: string | undefined): Promise<void> {
      const user = await opts.users.byEmail(email);
      if (!user) return;
      const now = clock.now();
      // Expired tokens of this account are swept here rather than by a timer.
      await db
        .delete(passwordResetTokens)
        .where(
          and(
            eq(passwordResetTokens.userId, user.id),
            lt(passwordResetTokens.expiresAt, new Date(now.getTime() - 3600_000)),
          ),
        );
      const recent = await db
        .select({ tokenHash: passwordResetTokens.tokenHash })
        .from(passwordResetTokens)
        .where(
          and(
            eq(passwordResetTokens.userId, user.id),
            gte(passwordResetTokens.createdAt, new Date(now.getTime() - 3600_000)),
          ),
        )
        .limit(MAX_MAILS_PER_HOUR);
      if (recent.length >= MAX_MAILS_PER_HOUR) {
        log.warn({ userId: user.id }, 'password reset mail not sent: hourly limit reached');
        return;
      }
      const token = randomToken();
      await db.insert(passwordResetTokens).values({
        tokenHash: hashToken(token),
        userId: user.id,
        createdAt: now,
        expiresAt: new Date(now.getTime() + opts.ttlSeconds * 1000),
      });
      const message = resetMail(
        user.email,
        token,
        resetLink(redirectTo ?? opts.defaultRedirect, token),
        opts.ttlSeconds,
      );
      // Sent in the background: waiting for SMTP would make existing accounts measurably slower to answer.
      mailer
        .send(message)
        .catch((err: unknown) => log.error({ err, userId: user.id }, 'password reset mail failed'));
    },

    /** Sets the new password, consumes the token and signs the user out everywhere. */
    async reset(token: string, password: string): Promise<{ email: string | null }> {
      const tokenHash = hashToken(token);
      return db.transaction(async (tx) => {
        const now = clock.now();
        const [row] = await tx
          .select({
            userId: passwordResetTokens.userId,
            email: users.email,
            passwordHash: users.passwordHash,
          })
          .from(passwordResetTokens)
          .innerJoin(users, eq(users.id, passwordResetTokens.userId))
          .where(
            and(
              eq(passwordResetTokens.tokenHash, tokenHash),
              isNull(passwordResetTokens.usedAt),
              gt(passwordResetTokens.expiresAt, now),
            ),
          )
          .for('update')
          .limit(1);
        if (!row) throw new AppError('UNAUTHORIZED', AuthMessages.invalidToken);
        if (row.passwordHash && (await verifyPassword(row.passwordHash, password))) {
          // The token stays usable: the user may try again with a different password.
          throw new AppError('BAD_REQUEST', AuthMessages.samePassword);
        }
        const passwordHash = await hashPassword(password);
        // Every outstanding reset token of the user dies with this one.
        await tx
          .update(passwordResetTokens)
          .set({ usedAt: now })
          .where(
            and(eq(passwordResetTokens.userId, row.userId), isNull(passwordResetTokens.usedAt)),
          );
        // Following the mailed link proves the mailbox is the user's.
        await tx
          .update(users)
          .set({ passwordHash, emailVerified: true, updatedAt: now })
          .where(eq(users.id, row.userId));
        await opts.sessions.revokeAll(row.userId, tx);
        return { email: row.email };
      });
    },
  };
}
