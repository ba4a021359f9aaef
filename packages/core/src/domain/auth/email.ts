/**
 * E-mails are compared case-insensitively and without surrounding blanks everywhere (sign-up, login,
 * reset, the e-mail sync), so one normal form is stored and looked up.
 */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
