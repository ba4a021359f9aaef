/**
 * A query as typed on a keyboard without Vietnamese input: every combining mark removed and đ/Đ → d/D.
 * Kept here, apart from the system's own folding, so the measurement does not depend on what it measures.
 */
export function stripDiacritics(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .normalize('NFC');
}
