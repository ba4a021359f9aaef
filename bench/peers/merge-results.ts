import { readFile } from 'node:fs/promises';

/** One set's entry in peers.json: its own revision and load average, since sets are run separately. */
export type SetEntry = { dataset: string } & Record<string, unknown>;

/**
 * The sets a results file keeps after a run: each set just run replaces its old entry, the others stay
 * (a run of one set must not drop the other three), in the order of `order` and then any others.
 */
export function mergeSets(
  old: readonly SetEntry[],
  fresh: readonly SetEntry[],
  order: readonly string[],
): SetEntry[] {
  const byName = new Map(old.map((s) => [s.dataset, s]));
  for (const s of fresh) byName.set(s.dataset, s);
  const rank = (name: string) => {
    const i = order.indexOf(name);
    return i < 0 ? order.length : i;
  };
  return [...byName.values()].sort((a, b) => rank(a.dataset) - rank(b.dataset));
}

/** The sets of an existing results file, none when it is missing or unreadable. */
export async function readSets(path: string): Promise<SetEntry[]> {
  try {
    const { datasets } = JSON.parse(await readFile(path, 'utf8')) as { datasets?: SetEntry[] };
    return Array.isArray(datasets) ? datasets : [];
  } catch {
    return [];
  }
}
