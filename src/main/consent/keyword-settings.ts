import { defaultKeywordTable, type KeywordTable } from '../../shared/consent/default-keywords';
import { createKeywordMatcher, type KeywordMatcher } from '../../shared/consent/keyword-matcher';
import { validateKeywordTable } from '../../shared/consent/keyword-table-validate';
import { canonicalJson } from '../../shared/consent/canonical-json';
import { AppError } from '../app-error';
import type { EventHub } from '../events/event-hub';
import type { SettingsService } from '../settings/settings-service';

// Keyword lists are a setting (editable per language, with restore-defaults); the
// matcher built from them is cached until they change.
export type KeywordSettings = {
  table(): Promise<KeywordTable>;
  matcher(): Promise<KeywordMatcher>;
  isDefault(table: KeywordTable): boolean;
  set(table: KeywordTable): Promise<KeywordTable>;
  restoreDefaults(): Promise<KeywordTable>;
};

const KEY = 'keywords';

export function createKeywordSettings(settings: SettingsService, events: EventHub): KeywordSettings {
  let cached: { table: KeywordTable; matcher: KeywordMatcher } | null = null;
  // Lists edited on another device arrive by sync: drop the cached matcher then too.
  events.subscribe((event) => {
    if (event.type === 'settings:changed' && event.keys.includes(KEY)) cached = null;
  });
  const load = async () => {
    if (!cached) {
      const table = await settings.get<KeywordTable>(KEY, defaultKeywordTable());
      cached = { table, matcher: createKeywordMatcher(table) };
    }
    return cached;
  };
  const defaultJson = canonicalJson(defaultKeywordTable());
  return {
    table: async () => (await load()).table,
    matcher: async () => (await load()).matcher,
    isDefault: (table) => canonicalJson(table) === defaultJson,
    async set(table) {
      const validation = validateKeywordTable(table);
      if (!validation.ok) {
        throw new AppError('invalid_input', validation.errors.map((e) => e.message).join(' '), validation.errors);
      }
      const cleaned = Object.fromEntries(
        Object.entries(table).map(([lang, lists]) => [lang, { optIn: lists.optIn.map((k) => k.trim()), optOut: lists.optOut.map((k) => k.trim()) }]),
      ) as KeywordTable;
      await settings.set(KEY, cleaned);
      cached = null;
      return cleaned;
    },
    async restoreDefaults() {
      await settings.set(KEY, defaultKeywordTable());
      cached = null;
      return defaultKeywordTable();
    },
  };
}
