import { z } from 'zod';
import { keywordTableSchema } from '../consent/keyword-table-validate';
import type { KeywordTable } from '../consent/default-keywords';
import { ADMIN_ONLY, channel } from './channel';

export type GeneralSettings = { defaultCountry: string };
export type KeywordSettings = { table: KeywordTable; isDefault: boolean };

export const settingsChannels = {
  'settings:get': channel<GeneralSettings>()({
    input: z.object({}).strict(),
    access: 'signed_in',
    summary: 'General settings: the default country for phone numbers written without a country code.',
    returns: 'GeneralSettings { defaultCountry }',
    errors: ['invalid_input', 'not_signed_in'],
  }),
  'settings:set': channel<GeneralSettings>()({
    input: z.object({ defaultCountry: z.string().regex(/^[A-Z]{2}$/, 'A two-letter country code such as PL') }).strict(),
    access: ADMIN_ONLY,
    summary: 'Change general settings. Existing contacts keep their stored numbers.',
    returns: 'GeneralSettings',
    errors: ['invalid_input', 'not_signed_in', 'forbidden'],
  }),
  'keywords:get': channel<KeywordSettings>()({
    input: z.object({}).strict(),
    access: 'signed_in',
    summary: 'The opt-in and opt-out keyword lists per language.',
    returns: 'KeywordSettings { table, isDefault }',
    errors: ['invalid_input', 'not_signed_in'],
  }),
  'keywords:set': channel<KeywordSettings>()({
    input: z.object({ table: keywordTableSchema }).strict(),
    access: ADMIN_ONLY,
    summary: 'Replace the keyword lists. Refused with the list of problems when a keyword is empty, has spaces, or is both opt-in and opt-out.',
    returns: 'KeywordSettings',
    errors: ['invalid_input', 'not_signed_in', 'forbidden'],
  }),
  'keywords:restoreDefaults': channel<KeywordSettings>()({
    input: z.object({}).strict(),
    access: ADMIN_ONLY,
    summary: 'Restore the default keyword lists (SPEC 2).',
    returns: 'KeywordSettings',
    errors: ['invalid_input', 'not_signed_in', 'forbidden'],
  }),
};
