import { sameStem } from '../../domain/answering';
import type { Language, LlmSource } from '../../ports/llm';
import { contentTerms } from './text';

/** What the shape checks need of a ranked unit. */
type Unitlike = {
  text: string;
  source: LlmSource;
  sourceRank: number;
  position: number;
  joins?: [string, string];
};

const FIELD = /^([^:;,.]{2,40}):\s+(\S.{0,150})$/u;

/**
 * A form or header field whose label the question names ("License: BSD", "Bed location: …"): the
 * label's words are all question terms, one of them the question's own and not a name (the name
 * says which document, the label which line; a title "Bitcoin: A Peer-to-Peer…" is no field). SQL units name their table the same way and are judged as rows.
 */
export function namedField(
  text: string,
  language: Language,
  weights: Map<string, number>,
  plain: string[],
): boolean {
  if (text.startsWith('Table ')) return false;
  const m = FIELD.exec(text);
  if (!m) return false;
  const label = contentTerms(m[1] as string, language);
  if (!label.length || label.length > 4) return false;
  const asked = (t: string) => weights.has(t) || [...weights.keys()].some((q) => sameStem(q, t));
  return label.every(asked) && label.some((t) => plain.some((q) => sameStem(q, t)));
}

/**
 * A chunk cut mid-sentence starts (or ends) with the sentence's tail (head): "(xanh) hiển thị tiêu
 * đề…" where another chunk holds "`ProductCategoryRow` (xanh) hiển thị tiêu đề…". The fragment, and
 * the pair made with it, go: the whole sentence says all it says and names its subject.
 */
export function withoutFragments<C extends Unitlike>(all: C[]): C[] {
  const bySource = new Map<LlmSource, C[]>();
  for (const c of all) {
    if (c.joins) continue;
    const mine = bySource.get(c.source);
    if (mine) mine.push(c);
    else bySource.set(c.source, [c]);
  }
  const fragments = new Set<string>();
  for (const [source, mine] of bySource) {
    const ordered = [...mine].sort((a, b) => a.position - b.position);
    const ends = [
      [ordered[0], (w: string, f: string) => w.endsWith(f)],
      [ordered.at(-1), (w: string, f: string) => w.startsWith(f)],
    ] as const;
    for (const [c, cut] of ends) {
      if (!c || c.text.length < 15) continue;
      const whole = all.some(
        (o) =>
          o.source !== source && !o.joins && o.text.length > c.text.length && cut(o.text, c.text),
      );
      if (whole) fragments.add(`${c.sourceRank} ${c.text}`);
    }
  }
  if (!fragments.size) return all;
  const key = (c: C, t: string) => `${c.sourceRank} ${t}`;
  return all.filter((c) => !(c.joins ?? [c.text]).some((t) => fragments.has(key(c, t))));
}
