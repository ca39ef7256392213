import type { AppDatabase } from '../store/database';
import type { EventHub } from '../events/event-hub';

export const DEFAULT_SETTINGS = {
  defaultCountry: 'PL',
} as const;

// Settings are small documents keyed by name; each holds a JSON value.
export type SettingsService = {
  get<T>(key: string, fallback: T): Promise<T>;
  set(key: string, value: unknown): Promise<void>;
  defaultCountry(): Promise<string>;
};

export function createSettingsService(db: AppDatabase, events: EventHub, now: () => Date): SettingsService {
  const get = async <T>(key: string, fallback: T): Promise<T> => {
    const doc = await db.settings.findOne(key).exec();
    if (!doc) return fallback;
    const value = doc.toJSON().value as { v?: T };
    return value.v === undefined ? fallback : value.v;
  };
  return {
    get,
    async set(key, value) {
      await db.settings.upsert({ id: key, value: { v: value }, updatedAt: now().toISOString() });
      events.emit({ type: 'settings:changed', keys: [key] });
    },
    defaultCountry: () => get('defaultCountry', DEFAULT_SETTINGS.defaultCountry as string),
  };
}
