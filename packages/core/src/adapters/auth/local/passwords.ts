import { hash, verify } from '@node-rs/argon2';

import { createSlots, withSlot } from '../../../lib/slots';

// argon2id with the library's defaults (m=19 MiB, t=2, p=1): OWASP's recommended minimum.
const OPTIONS = { algorithm: 2 /* Argon2id */ } as const;

/**
 * Two hashes at a time, the rest in line. Each runs on one of libuv's four threads, where file calls
 * (uploads, `/health`'s storage probe) run too: 200 sign-ups at once held `/health` for up to 3.9 s.
 */
const hashing = createSlots(2);

export function hashPassword(password: string): Promise<string> {
  return withSlot(hashing, () => hash(password, OPTIONS));
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await withSlot(hashing, () => verify(passwordHash, password));
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the same time as a real verification, for unknown e-mails and password-less (Google-only)
 * accounts, so response times do not reveal which e-mails have an account.
 */
export async function burnVerification(password: string): Promise<false> {
  dummyHash ??= hashPassword('timing-equaliser-not-a-password');
  await verifyPassword(await dummyHash, password);
  return false;
}
