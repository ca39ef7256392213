// Sniffing a spreadsheet export from its first bytes: is it text at all, which encoding,
// which delimiter, and does the first row look like a header. Pure: the same code
// serves the wizard's preview and main's import.
import { scanText } from './csv-scan';

export const CSV_ENCODINGS = ['utf-8', 'windows-1250', 'utf-16le', 'utf-16be'] as const;
export type CsvEncoding = (typeof CSV_ENCODINGS)[number];

export const CSV_DELIMITERS = [',', ';', '\t'] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

export const NOT_CSV_REASONS = ['empty', 'binary', 'pdf', 'spreadsheet', 'header_only', 'garbled', 'line_too_long'] as const;
export type NotCsvReason = (typeof NOT_CSV_REASONS)[number];

export type EncodingGuess = { encoding: CsvEncoding; bomLength: number };

const startsWith = (bytes: Uint8Array, prefix: readonly number[]) =>
  bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);

// A file that is plainly not text: named so the wizard can say what it is.
export function sniffNotText(bytes: Uint8Array): NotCsvReason | null {
  if (bytes.length === 0) return 'empty';
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'pdf';
  // .xlsx/.ods are zip files; .xls is an OLE compound file.
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0])) return 'spreadsheet';
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) return null;
  let control = 0;
  for (const b of bytes) {
    if (b === 0) return 'binary';
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) control += 1;
  }
  return control > bytes.length / 50 ? 'binary' : null;
}

// UTF-8 (with or without BOM) when the bytes decode strictly; otherwise Windows-1250,
// which is what Polish Excel writes for "CSV (comma delimited)".
export function detectEncoding(head: Uint8Array): EncodingGuess {
  if (startsWith(head, [0xef, 0xbb, 0xbf])) return { encoding: 'utf-8', bomLength: 3 };
  if (startsWith(head, [0xff, 0xfe])) return { encoding: 'utf-16le', bomLength: 2 };
  if (startsWith(head, [0xfe, 0xff])) return { encoding: 'utf-16be', bomLength: 2 };
  try {
    // stream: true keeps a multi-byte character cut at the end of the sample from failing.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return { encoding: 'utf-8', bomLength: 0 };
  } catch {
    return { encoding: 'windows-1250', bomLength: 0 };
  }
}

// Bytes that are not UTF-8 and, read as Windows-1250, are mostly accented letters and
// symbols: real Polish text is mostly ASCII with a diacritic here and there, so this is
// not text in any encoding the import reads (random bytes, a compressed or encrypted file).
export function looksGarbled(head: Uint8Array, encoding: CsvEncoding): boolean {
  if (encoding !== 'windows-1250') return false;
  let visible = 0;
  let high = 0;
  for (const b of head) {
    if (b <= 0x20) continue;
    visible += 1;
    if (b >= 0x80) high += 1;
  }
  return visible > 0 && high / visible > 0.3;
}

export function decodeHead(head: Uint8Array, guess: EncodingGuess): string {
  return new TextDecoder(guess.encoding).decode(head.subarray(guess.bomLength), { stream: true });
}

// Excel writes "sep=;" as the first line when asked to; it names the delimiter and is not data.
export function sepLine(text: string): CsvDelimiter | null {
  const m = /^sep=(.)(\r\n|\n|\r)/i.exec(text);
  if (!m) return null;
  const d = m[1] === '\\' ? null : m[1];
  return (CSV_DELIMITERS as readonly string[]).includes(d ?? '') ? (d as CsvDelimiter) : null;
}

// The delimiter that splits the first rows into the most columns, consistently.
export function detectDelimiter(text: string): CsvDelimiter {
  const declared = sepLine(text);
  if (declared) return declared;
  let best: { d: CsvDelimiter; score: number } = { d: ',', score: -1 };
  for (const d of CSV_DELIMITERS) {
    const rows = scanText(text.slice(0, 64 * 1024), d, true)
      .slice(0, 30)
      .map((r) => r.cells)
      .filter((r) => r.length > 1 || (r[0] ?? '') !== '');
    if (rows.length === 0) continue;
    const widths = rows.map((r) => r.length);
    const first = widths[0] ?? 1;
    if (first < 2) continue;
    const consistent = widths.filter((w) => w === first).length / widths.length;
    const score = consistent * 10 + Math.min(first, 50) / 50;
    if (score > best.score) best = { d, score };
  }
  return best.d;
}

const HEADER_WORDS = /^(name|imi[eę]|nazwisko|nazwa|full ?name|e-?mail|mail|phone|telefon|tel|mobile|kom[oó]rka|whatsapp|wa|number|numer|status|zgoda|consent|legal ?basis|podstawa|tags?|tagi|explanation|uzasadnienie|notes?|uwagi|city|miasto|company|firma|id)\b/i;
const LOOKS_LIKE_DATA = /^[+(]?\d[\d\s().-]{5,}$|@.+\./;

// A first row with a known column word and no phone- or e-mail-like cell is a header.
export function looksLikeHeader(first: readonly string[], second: readonly string[] | undefined): boolean {
  const cells = first.map((c) => c.trim()).filter(Boolean);
  if (cells.length === 0) return false;
  if (cells.some((c) => LOOKS_LIKE_DATA.test(c))) return false;
  if (cells.some((c) => HEADER_WORDS.test(c))) return true;
  if (!second) return true;
  // Without a known word: a header when the row below carries data-like cells it lacks.
  return second.some((c) => LOOKS_LIKE_DATA.test(c.trim()));
}
