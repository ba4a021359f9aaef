// Scoring rules of the answer-quality eval (bench/qa-eval.ts): what counts as a correct answer,
// a not-found answer and debris. Kept apart so the rules are easy to read and review.
export type QaQuestion = {
  id: string;
  lang: string;
  kind: 'fact' | 'followup' | 'cross' | 'unanswerable';
  files: string[];
  page?: number;
  prev?: string;
  q: string;
  accept?: string[];
  accept_all?: string[];
  /** The question's language differs from its document(s)' (a Vietnamese question about an English page). */
  xlang?: boolean;
  /** Set on questions added after the split was fixed (q131+: all dev, written to widen the tuning half). */
  split?: 'dev' | 'held';
};

export type QaSource = { filename: string; page: number | null; content?: string };

const norm = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').toLowerCase();
const base = (f: string) => f.split('/').pop() as string;

/** Fixed before any tuning: odd-numbered questions are the dev half, even-numbered the held-out half;
 * questions added later say their half explicitly. */
export function splitOf(q: QaQuestion): 'dev' | 'held' {
  if (q.split) return q.split;
  return Number(q.id.slice(1)) % 2 === 1 ? 'dev' : 'held';
}

// Not-found sentences of every answer language start with one of these (checked loosely on purpose:
// an answer that hedges "not found" and then states something still counts as not found).
const NOT_FOUND =
  /không chứa thông tin|do not contain information|ne contiennent pas|enthalten keine|no contienen|não contêm|не содержат|没有包含|含まれていません|포함되어 있지 않습니다/i;

export function isNotFound(answer: string): boolean {
  return NOT_FOUND.test(answer);
}

/** Debris users must never see: control characters, a citation repeated back to back, code fences, image links. */
export function debris(answer: string): string[] {
  const out: string[] = [];
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ue000-\uf8ff]/.test(answer))
    out.push('control');
  if (
    /(\((?:trang|page|p\.|стр\.|页|ページ|페이지|página|seite|file|fichier|archivo|arquivo|datei|файл|文件|ファイル|파일)[^()]*\))\s*\1/iu.test(
      answer,
    )
  )
    out.push('duplicate-citation');
  if (answer.includes('```')) out.push('code-fence');
  if (/!\[[^\]]*\]\(/.test(answer)) out.push('image-link');
  return out;
}

/** The answer names every expected file (by its citation) and holds the accepted string(s). */
export function isCorrect(q: QaQuestion, answer: string): boolean {
  const a = norm(answer);
  const cited = q.files.every((f) => a.includes(norm(base(f))));
  if (q.accept_all) return cited && q.accept_all.every((s) => a.includes(norm(s)));
  return cited && (q.accept ?? []).some((s) => a.includes(norm(s)));
}

/** The accepted string(s) appear in the given sources' text (diagnostic: can the answerer see the fact?). */
export function inSources(q: QaQuestion, sources: QaSource[]): boolean {
  const text = norm(sources.map((s) => s.content ?? '').join(' \n '));
  if (q.accept_all) return q.accept_all.every((s) => text.includes(norm(s)));
  return (q.accept ?? []).some((s) => text.includes(norm(s)));
}

export function fileAt1(q: QaQuestion, sources: QaSource[]): boolean {
  return !!sources[0] && q.files.map(base).includes(sources[0].filename);
}

export function pageAt3(q: QaQuestion, sources: QaSource[]): boolean | null {
  if (q.page === undefined || q.files.length !== 1) return null;
  const file = base(q.files[0] as string);
  return sources.slice(0, 3).some((s) => s.filename === file && s.page === q.page);
}
