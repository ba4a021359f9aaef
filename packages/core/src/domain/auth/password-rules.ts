/**
 * The document's password rules (ResetPasswordRequest validator), checked in its order; the first failing
 * rule's message is what the client sees. Letters and digits are Unicode-aware, as in the original
 * (Python's `str.isupper` / `isdigit`), and the length counts code points.
 */
const RULES: { test: (password: string) => boolean; message: string }[] = [
  { test: (p) => [...p].length >= 8, message: 'Mật khẩu phải có ít nhất 8 ký tự' },
  { test: (p) => /\p{Lu}/u.test(p), message: 'Mật khẩu phải có ít nhất một chữ cái viết hoa' },
  { test: (p) => /\p{Ll}/u.test(p), message: 'Mật khẩu phải có ít nhất một chữ cái viết thường' },
  { test: (p) => /\p{Nd}/u.test(p), message: 'Mật khẩu phải có ít nhất một chữ số' },
];

/** The message of the first rule the password breaks, or null when it satisfies all of them. */
export function passwordProblem(password: string): string | null {
  return RULES.find((rule) => !rule.test(password))?.message ?? null;
}

export const PASSWORD_RULE_MESSAGES = RULES.map((r) => r.message);
