import { describe, expect, it } from 'vitest';

import {
  bridgedQuery,
  bridgeTerms,
  searchParts,
} from '../../../packages/core/src/domain/answering';
import { source, ask } from '../../support/llm-sources';

// A real passage (issue9972-1.pdf p. 1, a sleep form) and one written after tracemonkey.pdf's results.
const NAPS = source(
  'C. SLEEP SCHEDULE Having consistent sleep and wake times is a great way to stabilize your sleep ' +
    'cycles and improve the quality of your sleep.\n\nD. STRATEGIC NAPPING\nTo quickly shed sleepiness - ' +
    '1 to 5 minutes\nTo increase performance after nap - 5 to 30 minutes\nTo make up for lost sleep ' +
    '(weekend) - 90+ minutes',
  { filename: 'sleep.pdf', page: 1 },
);

const RESULTS = source(
  'TraceMonkey always begins executing a program in the bytecode interpreter. TraceMonkey is the ' +
    'tracing JIT of Firefox 3.5.\n\nOn benchmarks it can trace, TraceMonkey achieves speedups between ' +
    '2x and 20x.',
  { filename: 'tracemonkey.pdf', page: 11 },
);

describe('answering: French, German, Spanish and Portuguese questions about English passages', () => {
  it('renders question words into English through the lexicon, by word form or stem', () => {
    expect(bridgeTerms('¿Cuánto debe durar una siesta?', 'es').get('siesta')).toContainEqual([
      'nap',
    ]);
    // "aceler*" is a stem: "aceleración", "acelera", "aceleró" all say speed.
    expect(bridgeTerms('¿Qué aceleración se midió?', 'es').get('aceleracion')).toContainEqual([
      'speedup',
    ]);
    expect(
      bridgeTerms('Welche Beschleunigung erreicht es?', 'de').get('beschleunigung'),
    ).toContainEqual(['speedup']);
    expect(bridgeTerms('Combien de temps dure une sieste ?', 'fr').get('sieste')).toContainEqual([
      'nap',
    ]);
    expect(bridgeTerms('Quanto tempo deve durar uma sesta?', 'pt').get('sesta')).toContainEqual([
      'nap',
    ]);
    // Each language reads its own column: Spanish "nombre" is a name, French "nombre" a number.
    expect(bridgeTerms('¿Cuál es el nombre?', 'es').get('nombre')).toContainEqual(['name']);
    expect(bridgeTerms('Quel est le nombre ?', 'fr').get('nombre')).toContainEqual(['number']);
  });

  it('answers a Spanish question whose words the English passage says otherwise', () => {
    // "siesta", "aumentar", "rendimiento" share no spelling with "nap", "increase", "performance".
    const answer = ask(
      '¿Cuánto tiempo debe durar una siesta para aumentar el rendimiento?',
      [NAPS],
      'es',
    );
    expect(answer).toMatch(/^Según los documentos:/);
    expect(answer).toContain('5 to 30 minutes');
  });

  it('answers a German question with the English sentence that says it, not one naming its subject', () => {
    const answer = ask('Welche Beschleunigung erreicht TraceMonkey?', [RESULTS], 'de');
    expect(answer).toContain('between 2x and 20x');
    // Without "Beschleunigung" ↔ "speedup" both sentences only name TraceMonkey and both were said.
    expect(answer).not.toContain('JIT of Firefox');
  });

  it('searches also with the question said in English', () => {
    expect(
      bridgedQuery('¿Cuánto tiempo debe durar una siesta para aumentar el rendimiento?', 'es'),
    ).toBe('duration last nap napping increase improve performance');
    expect(searchParts('Welche Beschleunigung erreicht TraceMonkey?', 'de')).toEqual([
      'Welche Beschleunigung erreicht TraceMonkey?',
      'speed speedup reach achieve TraceMonkey',
    ]);
  });
});
