import { describe, expect, it } from 'vitest';

import { unitsOf } from '../../../packages/core/src/adapters/llm/units';
import type { LlmSource } from '../../../packages/core/src/ports/llm';
import { source } from '../../support/llm-sources';

const texts = (s: LlmSource) => unitsOf(s).map((u) => u.text);

describe('answering: structural answer units', () => {
  it('keeps a multi-line SQL statement other than a table or a row together up to its semicolon', () => {
    // postgres-sakila-schema.sql
    const sql = source(
      'ALTER TABLE public.actor OWNER TO postgres;\n\n--\n-- Name: mpaa_rating; Type: TYPE; Schema: public; Owner: postgres\n--\n\n' +
        "CREATE TYPE mpaa_rating AS ENUM (\n    'G',\n    'PG',\n    'PG-13',\n    'R',\n    'NC-17'\n);\n\n" +
        'CREATE TABLE film (\n    rental_rate numeric(4,2) DEFAULT 4.99 NOT NULL\n);',
    );
    const units = texts(sql);
    expect(units).toContain(
      "CREATE TYPE mpaa_rating AS ENUM ( 'G', 'PG', 'PG-13', 'R', 'NC-17' );",
    );
    expect(units).toContain('Table film, column rental_rate: numeric(4,2) DEFAULT 4.99 NOT NULL');
    expect(units).toContain('Name: mpaa_rating; Type: TYPE; Schema: public; Owner: postgres');
  });

  it('makes each table row a unit with its header and the caption before the table', () => {
    // word_sample.docx as the DOCX parser renders it.
    const docx = source(
      'Here are some interesting things a respectful duck could eat:\n\n' +
        ' | Food | Calories per portion\nLeaves | Ash, Elm, Maple | 50\n' +
        'Berries | Blueberry, Strawberry, Cranberry | 150\nGrain | Corn, Buckwheat, Barley | 200',
    );
    expect(texts(docx)).toContain(
      'Here are some interesting things a respectful duck could eat: Grain; Food: Corn, Buckwheat, Barley; Calories per portion: 200',
    );
  });

  it('keeps a list with the line that introduces it, and code lines apart from prose', () => {
    const md = source(
      'And let’s add another list in the end:\n\n- Leaves\n\n- Berries\n\n- Grain\n\n' +
        'You can install Mammoth with npm:\n\n```bash\nnpm install mammoth\n```\nThen convert.',
    );
    const units = texts(md);
    expect(units).toContain('And let’s add another list in the end: Leaves; Berries; Grain');
    expect(units).toContain('npm install mammoth');
    expect(units.some((u) => u.includes('npm:') && u.includes('npm install'))).toBe(false);
  });

  it('makes records of code objects (thinking-in-react.md)', () => {
    const md = source(
      '```json\n[\n  { category: "Vegetables", price: "$2", stocked: true, name: "Spinach" },\n]\n```',
    );
    expect(texts(md)).toContain('category: Vegetables, price: $2, stocked: true, name: Spinach');
  });

  it('reads every tuple of an SQL line as a row, never the statement as prose', () => {
    const sql = source(
      "Frances Street', N'Madison', N'WI', N'USA', N'53703', 1.98), (191, 27, '2023/4/19', N'1033 N Park Ave'),\n" +
        "    (1587, N'We''re Gonna Groove', 128), (1588, N'Poor Tom', 128),\n" +
        'ALTER TABLE public.actor OWNER TO postgres;',
      { section: 'INSERT INTO track' },
    );
    const units = texts(sql);
    expect(units).toEqual([
      'Table track, row: 191, 27, 2023/4/19, 1033 N Park Ave',
      "Table track, row: 1587, We''re Gonna Groove, 128",
      'Table track, row: 1588, Poor Tom, 128',
      'ALTER TABLE public.actor OWNER TO postgres;',
    ]);
  });

  it('knows the heading each sentence sits under (rfc2616.txt), and numbered verse lines', () => {
    const rfc = source(
      '10.4.9 408 Request Timeout\n\n   The client did not produce a request within the time that the server\n' +
        '   was prepared to wait.\n\n10.4.10 409 Conflict\n\n   The request could not be completed.',
    );
    const unit = unitsOf(rfc).find((u) => u.text.startsWith('The client did not produce'));
    expect(unit?.heading).toBe('10.4.9 408 Request Timeout');
    // truyenkieu_raw.txt: a line's number is no sentence, and two lines form a pair unit.
    const kieu = source('15.. Đầu lòng hai ả tố nga,\n16. Thúy Kiều là chị, em là Thúy Vân.');
    expect(texts(kieu)).toContain('Đầu lòng hai ả tố nga, Thúy Kiều là chị, em là Thúy Vân.');
  });
});
