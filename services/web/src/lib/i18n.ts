import { en, type Messages } from './messages-en';
import { vi } from './messages-vi';

/** Vietnamese when the browser prefers it, else English. The API's own messages are shown as sent. */
export function pickLanguage(langs: readonly string[]): 'vi' | 'en' {
  for (const l of langs) {
    const base = l.toLowerCase().split('-')[0];
    if (base === 'vi') return 'vi';
    if (base === 'en') return 'en';
  }
  return 'en';
}

export const lang = pickLanguage(
  navigator.languages?.length ? navigator.languages : [navigator.language],
);
document.documentElement.lang = lang;

export const t: Messages = lang === 'vi' ? vi : en;

const sizeUnits = ['B', 'kB', 'MB', 'GB'];

export function formatSize(bytes: number): string {
  let n = bytes;
  let u = 0;
  while (n >= 1024 && u < sizeUnits.length - 1) {
    n /= 1024;
    u++;
  }
  const digits = u === 0 || n >= 100 ? 0 : 1;
  return `${new Intl.NumberFormat(lang, { maximumFractionDigits: digits }).format(n)} ${sizeUnits[u]}`;
}

export function formatDate(iso: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}
