import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { parseBudget, parseDocument } from '@rag/core/testing';
import { createRunningLineFilter } from '@rag/core/testing';

import { corpusPath } from '../../support/corpus';

const line = (text: string) => ({ text });

describe('running headers and footers', () => {
  it('drops bare page numbers and lines repeating at the same end of earlier pages', () => {
    const filter = createRunningLineFilter();
    const body = [
      ['Revenue grew in spring.', 'Costs fell.', 'Staff doubled.', 'Outlook is calm.'],
      ['Sales moved to Hanoi.', 'Rent went up.', 'Two offices opened.', 'Audit passed.'],
    ];
    const page = (n: number) =>
      ['ACME Annual Report 2024', ...body[n - 1]!, `Page ${n} of 3`].map(line);
    expect(filter(page(1)).map((l) => l.text)).toEqual(['ACME Annual Report 2024', ...body[0]!]);
    expect(filter(page(2)).map((l) => l.text)).toEqual(body[1]);
    // A repeated line in the middle of a page is content, not a header.
    expect(
      filter([line('Intro'), line('ACME Annual Report 2024'), line('x'), line('y'), line('z')])
        .length,
    ).toBe(5);
  });

  it('on the corpus PDFs, no page-number-only line or repeated edge line survives', async () => {
    const dir = corpusPath('pdf');
    let checked = 0;
    for (const name of readdirSync(dir).filter((f) => f.startsWith('an_le'))) {
      const doc = await parseDocument(join(dir, name), '.pdf', parseBudget(50));
      const pages = new Map<number, string[]>();
      for await (const s of doc.segments) {
        const lines = s.text.split('\n').filter((l) => l.trim());
        pages.set(s.page!, [...(pages.get(s.page!) ?? []), ...lines]);
      }
      const lasts = [...pages.values()].map((l) => l.at(-1)!.trim());
      expect(lasts.filter((l) => /^\d{1,4}$/.test(l))).toEqual([]);
      const firsts = [...pages.values()].slice(1).map((l) => l[0]!.trim().replace(/\d+/g, '#'));
      expect(new Set(firsts).size).toBe(firsts.length);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });
});
