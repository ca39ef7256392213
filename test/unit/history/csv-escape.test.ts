import { describe, expect, it } from 'vitest';
import { csvCell, csvLine, neutraliseFormula, unguardFormula } from '../../../src/shared/csv/csv-escape';

describe('csv cells', () => {
  it('neutralises cells a spreadsheet would run as a formula', () => {
    for (const bad of ['=1+1', '+48 601', '-2', '@SUM(A1)', '\tx', '\rx']) expect(csvCell(bad).replace(/^"/, '').startsWith("'")).toBe(true);
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
  });

  it('reads a guarded cell back as it was, and leaves every other apostrophe alone', () => {
    for (const text of ['=1+1', '+48 601', '-2', '@SUM(A1)', '\tx', '\rx', 'plain', "'quoted'", '']) {
      expect(unguardFormula(neutraliseFormula(text))).toBe(text);
    }
    expect(unguardFormula("'apostrophe first")).toBe("'apostrophe first");
    expect(unguardFormula("''=x")).toBe("''=x");
  });

  it('quotes separators, quotes and line breaks, and leaves plain text and numbers alone', () => {
    expect(csvCell('Zażółć gęślą jaźń')).toBe('Zażółć gęślą jaźń');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('a;b', ';')).toBe('"a;b"');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(null)).toBe('');
    expect(csvLine(['x', 1, true])).toBe('x,1,true');
  });
});
