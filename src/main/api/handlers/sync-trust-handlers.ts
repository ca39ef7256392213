import type { syncTrustChannels } from '../../../shared/api/sync-trust-channels';
import { toView } from '../../sync/quarantine-store';
import type { HandlersFor } from '../handler-types';
import type { AppServices } from '../../services';

export const syncTrustHandlers = (s: AppServices): HandlersFor<typeof syncTrustChannels> => ({
  'sync:quarantine': async () =>
    (await s.sync.gate.quarantine.all()).map(toView).sort((a, b) => (a.lastCheckedAt < b.lastCheckedAt ? 1 : a.lastCheckedAt > b.lastCheckedAt ? -1 : 0)),
});
