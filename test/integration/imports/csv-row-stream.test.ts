import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, describe, expect, it } from 'vitest';
import { csvRecords, type CsvSource } from '../../../src/main/imports/csv-row-stream';

// The streaming reader parses the file piece by piece (64 KB reads): records, quoted
// cells with line breaks, multi-byte characters and CRLF pairs that straddle a piece
// boundary must come out exactly as papaparse reads the whole text at once.

const dir = mkdtempSync(join(tmpdir(), 'csv-row-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const read = async (name: string, bytes: Uint8Array, source: Partial<CsvSource> = {}) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  const out: Array<{ row: number; cells: string[] }> = [];
  for await (const r of csvRecords({ path, encoding: 'utf-8', bomLength: 0, delimiter: ';', ...source })) out.push(r);
  return out;
};

// Rows of varying length so that boundaries fall everywhere: inside quotes, between \r and \n, inside "ś".
const awkwardText = (rows: number, newline: string) => {
  const lines: string[] = ['name;note;city'];
  for (let i = 0; i < rows; i++) {
    const note = i % 7 === 0 ? `"line one${newline}line ""two"" ${'ś'.repeat(i % 13)}"` : `plain ${'x'.repeat(i % 29)}`;
    lines.push(`Kontakt ${i} Wiśniewski;${note};Kraków`);
  }
  return lines.join(newline) + newline;
};

describe('csvRecords', () => {
  for (const newline of ['\r\n', '\n']) {
    it(`reads a file of many pieces like one whole parse (${JSON.stringify(newline)})`, async () => {
      const text = awkwardText(9000, newline);
      const whole = Papa.parse<string[]>(text, { delimiter: ';', newline: newline as '\n' }).data.filter((r) => !(r.length === 1 && r[0] === ''));
      const streamed = await read(`awkward-${newline.length}.csv`, Buffer.from(text, 'utf8'));
      expect(Buffer.byteLength(text)).toBeGreaterThan(5 * 64 * 1024);
      expect(streamed.map((r) => r.cells)).toEqual(whole);
      expect(streamed.map((r) => r.row)).toEqual(whole.map((_, i) => i + 1));
    });
  }

  it('keeps the last record of a file without a final line break, and skips the BOM and a sep= line', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('sep=;\r\na;b\r\nc;"d\r\ne"\r\nf;g', 'utf8')]);
    const rows = await read('tail.csv', bytes, { bomLength: 3 });
    expect(rows).toEqual([
      { row: 2, cells: ['a', 'b'] },
      { row: 3, cells: ['c', 'd\r\ne'] },
      { row: 4, cells: ['f', 'g'] },
    ]);
  });

  it('does not carry an unclosed quote through the rest of a large file', async () => {
    const good = Array.from({ length: 150_000 }, (_, i) => `n${i};${i}`).join('\r\n');
    const rows = await read('open-quote.csv', Buffer.from(`a;"never closed\r\n${good}\r\n`, 'utf8'));
    expect(rows[0]?.cells[1]?.length).toBeGreaterThan(1024 * 1024);
    // Reading went on after the oversized record.
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.at(-1)?.cells).toEqual(['n149999', '149999']);
  });
});
