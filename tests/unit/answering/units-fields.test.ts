import { describe, expect, it } from 'vitest';

import { anchorTerms, isCognate } from '../../../packages/core/src/domain/answering';
import { source, ask } from '../../support/llm-sources';

// Real passages: sql-server-sakila-schema.sql (header comment), thinking-in-react.md (a list cut
// by the chunker mid-line), endnotes.docx.
const SAKILA = source(
  'Sakila for Microsoft SQL Server is a port of the Sakila example database available for MySQL, ' +
    'which was originally developed by Mike Hillyer of the MySQL AB documentation team.\n' +
    'This project is designed to help database administrators to decide which database to use for development of new products\n' +
    'The user can run the same SQL against different kind of databases and compare the performance\n\n' +
    'License: BSD\nCopyright DB Software Laboratory\nhttp://www.etl-tools.com',
  { filename: 'sql-server-sakila-schema.txt' },
);
const WHOLE = source(
  '3. `ProductTable` (tím) hiển thị và lọc danh sách sản phẩm theo đầu vào của người dùng.\n' +
    '4. `ProductCategoryRow` (xanh) hiển thị tiêu đề cho mỗi danh mục.\n' +
    '5. `ProductRow`\t(vàng) hiển thị một hàng cho mỗi sản phẩm.',
  { filename: 'thinking-in-react.md', score: 0.5 },
);
const CUT = source(
  '(xanh) hiển thị tiêu đề cho mỗi danh mục.\n5. `ProductRow`\t(vàng) hiển thị một hàng cho mỗi sản phẩm.',
  { filename: 'thinking-in-react.md', score: 0.6 },
);
const TIKA = source(
  '* A software module for extracting text from binary files. Apache Tika is a subproject of the Lucene\n' +
    '* Tika Waylan, a major character in the DragonLance series of fantasy novels',
  { filename: 'endnotes.docx' },
);

describe('answering: fields, chunk fragments and cognates', () => {
  it('answers with the field whose label the question names', () => {
    const license = ask(
      'Under which license is Sakila for Microsoft SQL Server released?',
      [SAKILA],
      'en',
    );
    expect(license).toContain('License: BSD');
    // A title shaped like a field ("Bitcoin: A Peer-to-Peer…") is not one for a follow-up's carried name.
    const who = ask('Who originally developed the Sakila example database?', [SAKILA], 'en');
    expect(who).toContain('Mike Hillyer');
  });

  it('prefers the whole sentence to the fragment a chunk boundary cut from it', () => {
    const answer = ask('Cái gì hiển thị tiêu đề cho mỗi danh mục?', [CUT, WHOLE], 'vi');
    expect(answer).toContain('ProductCategoryRow');
  });

  it('does not take German nouns or hyphenated words for names', () => {
    expect(
      anchorTerms('Welche Beschleunigung erreicht TraceMonkey für verfolgbare Programme?', 'de'),
    ).toEqual(['tracemonkey']);
    expect(anchorTerms('Apache Tika est un sous-projet de quel projet ?', 'fr')).toEqual(['tika']);
    expect(anchorTerms('Which court issued judgment 16/2019/DS-PT?', 'en')).toEqual([
      '16/2019/ds-pt',
    ]);
  });

  it('matches words spelled alike across Latin-script languages, not look-alikes of other words', () => {
    expect(isCognate('projet', 'project')).toBe(true);
    expect(isCognate('aceleracion', 'acceleration')).toBe(true);
    expect(isCognate('navigateur', 'browser')).toBe(false);
    expect(isCognate('projet', 'protect')).toBe(false);
    const fr = ask('Apache Tika est un sous-projet de quel projet ?', [TIKA], 'fr');
    expect(fr).toMatch(/^Selon les documents/);
    expect(fr).toContain('Lucene');
  });
});
