export * from './schemas';
export { AuthMessages } from './messages';
export { normalizeEmail } from './email';
export { passwordProblem, PASSWORD_RULE_MESSAGES } from './password-rules';
export { signUp, signIn, signOut, refresh, sessionInfo } from './account';
export { forgotPassword, resetPassword, vetRedirect } from './password-reset';
export { googleUrl, googleCallback, googleSignIn } from './google';
export type { AuthDeps } from './deps';
