import type { QuarantinedDocument, syncTrustChannels } from '../../../shared/api/sync-trust-channels';
import { toView } from '../../sync/quarantine-store';
import type { HandlersFor } from '../handler-types';
import type { AppServices } from '../../services';

const newestFirst = (a: QuarantinedDocument, b: QuarantinedDocument) => (a.lastCheckedAt < b.lastCheckedAt ? 1 : a.lastCheckedAt > b.lastCheckedAt ? -1 : a.docId < b.docId ? -1 : 1);

export const syncTrustHandlers = (s: AppServices): HandlersFor<typeof syncTrustChannels> => {
  const listed = async () => (await s.sync.gate.quarantine.all()).map(toView).sort(newestFirst);
  return {
    'sync:quarantine': listed,
    'sync:recheckQuarantine': async () => {
      await s.sync.gate.recheckAll();
      return listed();
    },
  };
};
