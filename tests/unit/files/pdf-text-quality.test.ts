import { describe, expect, it } from 'vitest';

import { judgeTextLayer } from '../../../packages/core/src/domain/files/parsers/pdf-text-quality';

/** Pages whose text layer is glyph codes (fonts without ToUnicode) are told from real text. */
describe('PDF text-layer quality', () => {
  it('accepts real text in several scripts, tables of numbers and text with a few stray codes', () => {
    expect(
      judgeTextLayer('The warehouse in Haiphong stored seventeen barrels of molasses in 2024.'),
    ).toBe('usable');
    expect(
      judgeTextLayer('Tòa án nhân dân tối cao công bố án lệ số 43/2021/AL về hiệu lực hợp đồng.'),
    ).toBe('usable');
    expect(judgeTextLayer('Сертификат периодического технического осмотра, номер 2015.')).toBe(
      'usable',
    );
    expect(judgeTextLayer('11:00 11:05 11:10 11:15 11:20 11:25 | 21:00 - 22:45 (1) 42.5% €3')).toBe(
      'usable',
    );
    expect(
      judgeTextLayer('\u0010Workers of the World, Unite!\u0011 said the banner on the wall.'),
    ).toBe('usable');
  });

  it('marks control characters, private-use glyphs and mixed-script words as garbage', () => {
    const controls = Array.from({ length: 60 }, (_, i) => String.fromCharCode(1 + (i % 30))).join(
      '',
    );
    expect(judgeTextLayer(controls)).toBe('garbage');
    expect(judgeTextLayer('\ue001\ue002\ue003 \ue004\ue005 \ue006\ue007\ue008\ue009 ab')).toBe(
      'garbage',
    );
    expect(judgeTextLayer("#$%&'()*+,-./:;<=>?@[]^_`{|}~ #$%&'()*+,-./:;<=>?@ ab")).toBe('garbage');
    expect(judgeTextLayer('Тhеωσ рrοбlеmя wіτн ѕсriрτѕ αrе мιхеd ιnѕιdе еvеrу шοrd hеrе')).toBe(
      'garbage',
    );
  });

  it('calls a page with (almost) no text sparse', () => {
    expect(judgeTextLayer('')).toBe('sparse');
    expect(judgeTextLayer('  \n 12 \n')).toBe('sparse');
    expect(judgeTextLayer('Figure 3.')).toBe('sparse');
  });
});
