// Which column feeds which field. A target is a short string so the wizard's <select>
// can carry it as its value: 'ignore', 'name', 'email', 'phone', 'tags',
// 'firstName', 'lastName' (joined with 'name' into the contact's name),
// 'property:<name>', 'status:<typeId>', 'legalBasis:<typeId>' or 'explanation:<typeId>'
// (an empty typeId means every type mapped in the file).
import { z } from 'zod';
import { LEGAL_BASES } from '../domain';
import { EXPORT_BOOKKEEPING_COLUMNS, isContactExportHeader } from './contact-export-columns';
import { isForbiddenKey } from '../forbidden-keys';
import { normaliseToken } from './csv-values';
import { CSV_DELIMITERS, CSV_ENCODINGS } from './csv-detect';

export const COLUMN_TARGET = /^(ignore|name|firstName|lastName|email|phone|tags|property:[^\s:][^:]{0,63}|(status|legalBasis|explanation):[A-Za-z0-9_-]{0,128})$/;

export const importMapping = z
  .object({
    columns: z
      .array(
        z
          .string()
          .regex(COLUMN_TARGET, 'Unknown column target')
          .refine((t) => !(t.startsWith('property:') && isForbiddenKey(t.slice('property:'.length))), 'This name cannot be used for a property'),
      )
      .max(500),
    // Used where a row has no legal basis / explanation column or an empty cell.
    defaultLegalBasis: z.enum(LEGAL_BASES).or(z.literal('')).default(''),
    defaultExplanation: z.string().trim().max(2000).default(''),
  })
  .strict();
export type ImportMapping = z.infer<typeof importMapping>;

export const importFormat = z
  .object({
    encoding: z.enum(CSV_ENCODINGS),
    delimiter: z.enum(CSV_DELIMITERS),
    hasHeader: z.boolean(),
  })
  .strict();
export type ImportFormat = z.infer<typeof importFormat>;

export type ParsedTarget =
  | { kind: 'ignore' | 'name' | 'firstName' | 'lastName' | 'email' | 'phone' | 'tags' }
  | { kind: 'property'; name: string }
  | { kind: 'status' | 'legalBasis' | 'explanation'; typeId: string };

export function parseTarget(target: string): ParsedTarget {
  const colon = target.indexOf(':');
  if (colon < 0) return { kind: target as 'ignore' | 'name' | 'firstName' | 'lastName' | 'email' | 'phone' | 'tags' };
  const kind = target.slice(0, colon);
  const rest = target.slice(colon + 1);
  if (kind === 'property') return { kind: 'property', name: rest };
  return { kind: kind as 'status' | 'legalBasis' | 'explanation', typeId: rest };
}

export type MappingProblem = 'no_phone' | 'duplicate_target' | 'unknown_type' | 'nothing_to_import';

// Structural checks that do not depend on the rows.
export function checkMapping(mapping: ImportMapping, typeIds: ReadonlySet<string>): MappingProblem[] {
  const problems = new Set<MappingProblem>();
  const used = mapping.columns.filter((t) => t !== 'ignore');
  if (!used.includes('phone')) problems.add('no_phone');
  if (new Set(used).size !== used.length) problems.add('duplicate_target');
  for (const t of used.map(parseTarget)) {
    if ((t.kind === 'status' || t.kind === 'legalBasis' || t.kind === 'explanation') && (t.kind === 'status' || t.typeId) && !typeIds.has(t.typeId)) {
      problems.add('unknown_type');
    }
  }
  if (used.length === 0) problems.add('nothing_to_import');
  return [...problems];
}

// The two columns a file of skipped rows adds after the row's own cells (problem-rows.ts):
// left out when that file, fixed, is imported again.
export const PROBLEM_ROW_COLUMNS = ['import_row', 'import_problems'] as const;
const isProblemRowColumn = (token: string) => (PROBLEM_ROW_COLUMNS as readonly string[]).includes(token);

// Separate first-name and surname columns (Imię / Nazwisko, First name / Last name).
const FIRST_NAME = /^(first_?name|given_?name|forename|imie|imiona)$/;
const LAST_NAME = /^(last_?name|surname|family_?name|nazwisko)$/;

const GUESSES: Array<[RegExp, string]> = [
  [/^(name|full_name|imie_i_nazwisko|imie|nazwa|nazwisko|contact|kontakt)$/, 'name'],
  [/^(e_?mail|mail|adres_e_?mail|email_address)$/, 'email'],
  [/^(phone|telefon|tel|mobile|komorka|whatsapp|wa|wa_number|whatsapp_number|numer|numer_telefonu|phone_number|number)$/, 'phone'],
  [/^(tags?|tagi|etykiety|labels?)$/, 'tags'],
  [/^(legal_basis|podstawa|podstawa_prawna|basis)$/, 'legalBasis:'],
  [/^(explanation|uzasadnienie|reason|powod|notes?_consent)$/, 'explanation:'],
];

export type TypeRef = { id: string; name: string };

// A first guess the user corrects in the wizard: known words, then status columns named
// after a type ("WhatsApp marketing", "marketing status"), else a property.
export function suggestMapping(headers: readonly string[], types: readonly TypeRef[], sample: ReadonlyArray<readonly string[]> = []): string[] {
  const taken = new Set<string>();
  const tokens = headers.map(normaliseToken);
  const ownExport = isContactExportHeader(tokens);
  // Both halves of a name present: each is mapped to its half, and they are joined.
  const splitName = tokens.some((t) => FIRST_NAME.test(t)) && tokens.some((t) => LAST_NAME.test(t));
  return headers.map((header, col) => {
    const token = tokens[col] ?? '';
    if ((ownExport && EXPORT_BOOKKEEPING_COLUMNS.includes(token)) || isProblemRowColumn(token)) return 'ignore';
    const pick = (target: string) => {
      if (taken.has(target)) return 'ignore';
      taken.add(target);
      return target;
    };
    if (splitName && FIRST_NAME.test(token)) return pick('firstName');
    if (splitName && LAST_NAME.test(token)) return pick('lastName');
    for (const [re, target] of GUESSES) if (re.test(token)) return pick(target);
    const type =
      types.find((t) => {
        const name = normaliseToken(t.name);
        // "Marketing" names the type "WhatsApp marketing · +48 …" as well.
        const words = token.replace(/^(status|zgoda|consent)_|_(status|zgoda|consent)$/g, '');
        return token === name || words === name || (words.length >= 4 && name.split('_').includes(words));
      }) ?? (types.length === 1 && /^(status|zgoda|consent|whatsapp_status|subscription)$/.test(token) ? types[0] : undefined);
    if (type) return pick(`status:${type.id}`);
    if (!token) {
      // No header: judge the column by its cells.
      const cells = sample.map((r) => (r[col] ?? '').trim()).filter(Boolean);
      const most = (re: RegExp) => cells.length > 0 && cells.filter((c) => re.test(c)).length * 2 > cells.length;
      if (most(/^[+(]?\d[\d\s().-]{5,}$/)) return pick('phone');
      if (most(/^[^\s@]+@[^\s@]+\.[^\s@]+$/)) return pick('email');
      if (most(/\p{L}/u)) return pick('name');
      return 'ignore';
    }
    const property = header.trim().slice(0, 64).replace(/:/g, ' ');
    return isForbiddenKey(property) ? 'ignore' : pick(`property:${property}`);
  });
}

// The key under which a mapping is remembered: the header names, normalised, in order.
export function headerLayoutKey(headers: readonly string[], hasHeader: boolean): string {
  const text = hasHeader ? headers.map(normaliseToken).join('|') : `#${headers.length}`;
  // FNV-1a: short, stable, no crypto needed (this only names a setting).
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `import.mapping.${h.toString(16).padStart(8, '0')}`;
}
