import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, describe, expect, it } from 'vitest';
import { csvRecords, type CsvRecord, type CsvSource } from '../../../src/main/imports/csv-row-stream';

// The streaming reader parses the file piece by piece (64 KB reads): records, quoted
// cells with line breaks, multi-byte characters and CRLF pairs that straddle a piece
// boundary must come out exactly as papaparse reads the whole text at once.

const dir = mkdtempSync(join(tmpdir(), 'csv-row-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const read = async (name: string, bytes: Uint8Array, source: Partial<CsvSource> = {}) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  const out: CsvRecord[] = [];
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

  it('reports an unclosed quote on its own row and swallows nothing after it, even past 1 MB', async () => {
    const good = Array.from({ length: 150_000 }, (_, i) => `n${i};${i}`).join('\r\n');
    const rows = await read('open-quote.csv', Buffer.from(`a;"never closed\r\n${good}\r\n`, 'utf8'));
    expect(rows[0]).toEqual({ row: 1, cells: ['a', '"never closed'], problem: 'unclosed_quote' });
    expect(rows.length).toBe(150_001);
    expect(rows.every((r, i) => r.row === i + 1)).toBe(true);
    expect(rows.slice(1).every((r, i) => r.cells[0] === `n${i}` && !r.problem)).toBe(true);
  });

  it('reports an unclosed quote found only at the end of the file, and reads the lines after it', async () => {
    const rows = await read('open-quote-short.csv', Buffer.from('a;b\n"x;1\ny;2\r\nz;"3', 'utf8'));
    expect(rows).toEqual([
      { row: 1, cells: ['a', 'b'] },
      { row: 2, cells: ['"x', '1'], problem: 'unclosed_quote' },
      { row: 3, cells: ['y', '2'] },
      { row: 4, cells: ['z', '"3'], problem: 'unclosed_quote' },
    ]);
  });

  it('makes an over-long record one problem row, with exact row numbers after it', async () => {
    const long = 'x'.repeat(3 * 1024 * 1024 + 17);
    const rows = await read('long-record.csv', Buffer.from(`a;b\r\n1;${long}\r\n2;two\r3;three\n`, 'utf8'));
    expect(rows.map((r) => [r.row, r.cells[0], r.problem])).toEqual([
      [1, 'a', undefined],
      [2, '1', 'record_too_long'],
      [3, '2', undefined],
      [4, '3', undefined],
    ]);
    expect(rows[1]?.cells.join(';').length).toBeLessThanOrEqual(10_000);
  });

  it('ends a row at every CRLF, LF or CR, mixed in any order, but not inside quotes', async () => {
    const rows = await read('mixed.csv', Buffer.from('a;b\r\n1;x\n2;"q\r\nq"\r3;y\r\n\n4;z\r5;w', 'utf8'));
    expect(rows).toEqual([
      { row: 1, cells: ['a', 'b'] },
      { row: 2, cells: ['1', 'x'] },
      { row: 3, cells: ['2', 'q\r\nq'] },
      { row: 4, cells: ['3', 'y'] },
      { row: 5, cells: [''] },
      { row: 6, cells: ['4', 'z'] },
      { row: 7, cells: ['5', 'w'] },
    ]);
  });

  it('refuses bytes that are not text in the chosen encoding instead of storing U+FFFD', async () => {
    const bytes = Buffer.concat([Buffer.from('a;b\n'.repeat(40_000), 'utf8'), Buffer.from([0x4c, 0xa3, 0x3b, 0x31, 0x0a])]);
    await expect(read('late-cp1250.csv', bytes)).rejects.toThrow(/not valid UTF-8/);
  });
});
