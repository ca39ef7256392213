import type { LifecycleSettings } from '../../shared/api/lifecycle-channels';
import { DEFAULT_LIFECYCLE_SETTINGS } from '../../shared/api/lifecycle-channels';
import type { SettingsService } from '../settings/settings-service';

// The lifecycle's two settings, kept in one settings document so they replicate together.
export type LifecycleSettingsStore = {
  get(): Promise<LifecycleSettings>;
  set(patch: Partial<LifecycleSettings>): Promise<LifecycleSettings>;
};

const KEY = 'lifecycle';

export function createLifecycleSettings(settings: SettingsService): LifecycleSettingsStore {
  const get = async (): Promise<LifecycleSettings> => {
    const stored = await settings.get<Partial<LifecycleSettings>>(KEY, {});
    // A value of the wrong type (a document from elsewhere) falls back to the default.
    return {
      recordRefusedChecks: typeof stored.recordRefusedChecks === 'boolean' ? stored.recordRefusedChecks : DEFAULT_LIFECYCLE_SETTINGS.recordRefusedChecks,
      inboundRetentionDays:
        Number.isInteger(stored.inboundRetentionDays) && (stored.inboundRetentionDays ?? 0) > 0
          ? (stored.inboundRetentionDays ?? DEFAULT_LIFECYCLE_SETTINGS.inboundRetentionDays)
          : DEFAULT_LIFECYCLE_SETTINGS.inboundRetentionDays,
    };
  };
  return {
    get,
    async set(patch) {
      const next = { ...(await get()), ...patch };
      await settings.set(KEY, next);
      return next;
    },
  };
}
