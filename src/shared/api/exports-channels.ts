import { z } from 'zod';
import type { Role } from '../domain';
import { channel } from './channel';
import { contactQuery } from './contacts-channels';

// Compliance officers export proof; admins run the desk. Field agents collect consent
// in the field and have no need to take the whole contact base away on a laptop.
export const EXPORTERS = ['compliance_officer', 'admin'] as const satisfies readonly Role[];

const csvOptions = {
  // ';' is what Excel expects where the decimal separator is a comma (Poland).
  delimiter: z.enum([',', ';', '\t']).default(','),
  // A UTF-8 BOM makes Excel read Polish letters correctly on double-click.
  bom: z.boolean().default(true),
};

export type CsvExport = { fileName: string; content: string; rows: number };

export const exportsChannels = {
  'exports:contacts': channel<CsvExport>()({
    input: z.object({ query: contactQuery, ...csvOptions }).strict(),
    access: EXPORTERS,
    summary:
      'CSV of the contacts matching a query with their status per type and the channel opt-out flag. Cells that a spreadsheet would run as a formula are neutralised.',
    returns: 'CsvExport { fileName, content, rows }',
    errors: ['invalid_input', 'not_signed_in', 'forbidden'],
  }),
};
