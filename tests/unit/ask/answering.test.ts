import { describe, expect, it } from 'vitest';

import { composeExtractiveAnswer } from '../../../packages/core/src/adapters/llm/extractive-answer';
import { unitsOf } from '../../../packages/core/src/adapters/llm/units';
import {
  answerType,
  detectLanguage,
  hasSpan,
  isStopWord,
  tokens,
} from '../../../packages/core/src/domain/answering';
import type { LlmSource } from '../../../packages/core/src/ports/llm';

const source = (content: string, extra: Partial<LlmSource> = {}): LlmSource => ({
  filename: 'doc.sql',
  page: null,
  pageLabel: null,
  section: null,
  content,
  score: 1,
  ...extra,
});

describe('answering: languages, words, question types', () => {
  it('detects the question language, Vietnamese also without diacritics', () => {
    expect(detectLanguage('Thủ đô của Việt Nam là gì?')).toBe('vi');
    expect(detectLanguage('thu do cua viet nam la gi')).toBe('vi');
    expect(detectLanguage('When was IBM founded?')).toBe('en');
    expect(detectLanguage('En quelle année IBM a-t-elle été fondée ?')).toBe('fr');
    expect(detectLanguage('Qual função converte um arquivo em HTML?')).toBe('pt');
    expect(detectLanguage('Что означает код состояния 404?')).toBe('ru');
    expect(detectLanguage('user 表的主键是哪一列？')).toBe('zh');
  });

  it('segments unspaced scripts into words and drops function words of the question language', () => {
    expect(tokens('主键是哪一列').length).toBeGreaterThan(1);
    expect(tokens('Hà Nội').map((t) => t.term)).toEqual(['ha', 'noi']);
    expect(isStopWord('quelle', 'fr')).toBe(true);
    expect(isStopWord('année', 'fr')).toBe(false);
    expect(isStopWord('the')).toBe(true);
    expect(isStopWord('đô', 'vi')).toBe(false); // "capital", never folded into English "do"
  });

  it('knows what a question asks for, in several languages, and finds spans of that type', () => {
    expect(answerType('When was IBM founded?')).toBe('date');
    expect(answerType('IBM được thành lập năm nào?')).toBe('date');
    expect(answerType('Who launched PDF.js?')).toBe('person');
    expect(answerType('Ai là người khởi xướng?')).toBe('person');
    expect(answerType('How many moons?')).toBe('count');
    expect(answerType('Где находится штаб?')).toBe('place');
    expect(hasSpan('date', 'IBM was founded in 1911.', new Set(['ibm', 'founded']))).toBe(true);
    expect(hasSpan('date', 'IBM was founded.', new Set(['ibm', 'founded']))).toBe(false);
    expect(hasSpan('person', 'Thúy Kiều là chị', new Set())).toBe(true);
  });
});

describe('answering: units and composition', () => {
  it('makes SQL rows and columns answer units with their table and column names', () => {
    const sql = source(
      'INSERT INTO employee (employee_id, last_name, first_name, title) VALUES\n' +
        "    (1, N'Adams', N'Andrew', N'General Manager'),\n" +
        "    (2, N'Edwards', N'Nancy', N'Sales Manager');\n" +
        'CREATE TABLE "user" (\n    "password" VARCHAR(60) NOT NULL,\n    CONSTRAINT "user_pkey" PRIMARY KEY ("user_id")\n);',
    );
    const texts = unitsOf(sql).map((u) => u.text);
    expect(texts).toContain(
      'Table employee, row: employee_id 2, last_name Edwards, first_name Nancy, title Sales Manager',
    );
    expect(texts).toContain('Table user, column password: VARCHAR(60) NOT NULL');
    // A chunk cut from the middle of an INSERT keeps its table from the section label.
    const tail = source("    (7, N'King', N'Robert', N'IT Staff'),", {
      section: 'INSERT INTO employee',
    });
    expect(unitsOf(tail).map((u) => u.text)).toContain(
      'Table employee, row: 7, King, Robert, IT Staff',
    );
  });

  it('answers with the unit holding the fact, citing each source once, without debris', () => {
    const sources = [
      source('# Title\n\nNancy Edwards works here.\n\n```bash\npnpm start\n```\n![logo](x.png)', {
        filename: 'a.pdf',
        page: 2,
      }),
      source(
        "INSERT INTO employee (employee_id, last_name, first_name, title) VALUES\n    (2, N'Edwards', N'Nancy', N'Sales Manager');",
        {
          filename: 'a.pdf',
          page: 2,
        },
      ),
    ];
    const answer = composeExtractiveAnswer({
      query: 'What is the title of employee Nancy Edwards?',
      sources,
      language: 'en',
    });
    expect(answer).toContain('Sales Manager');
    expect(answer.match(/\(page 2, a\.pdf\)/g)).toHaveLength(1);
    // eslint-disable-next-line no-control-regex
    expect(answer).not.toMatch(/```|!\[|[\u0000-\u0008]/);
  });

  it('lets the new question outweigh the terms a follow-up carried over', () => {
    const sources = [
      source('Node.js 20 is required to run the server.', { filename: 'setup.md' }),
      source('PostgreSQL 16 is the supported database version.', { filename: 'setup.md' }),
    ];
    const answer = composeExtractiveAnswer({
      question: 'and which PostgreSQL version?',
      query: 'and which PostgreSQL version? Node.js version required',
      sources,
      language: 'en',
    });
    expect(answer).toContain('PostgreSQL 16');
    expect(answer).not.toContain('Node.js 20');
  });

  it('says not found in the question language and names the closest sources', () => {
    const answer = composeExtractiveAnswer({
      query: 'Quelle est la population du Canada ?',
      sources: [source('Mammoth converts .docx documents to HTML.', { filename: 'm.md' })],
      language: 'fr',
    });
    expect(answer).toBe(
      'Les documents sélectionnés ne contiennent pas d’information qui réponde à cette question. ' +
        'Sources les plus proches : (file m.md)',
    );
  });
});
