import type { ChainHeadCheck } from '../../shared/api/history-channels';
import type { DeviceTrust } from '../device/device-trust';
import { checkChainHeads } from '../integrity/chain-tails';
import type { AppDatabase } from '../store/database';
import type { SyncService } from './sync-service';

// The signed-heads check (integrity/chain-tails.ts) with what the running app knows now: its
// registry, its last read of the server's consent events to their end, and the events its
// arrival checks kept aside. The integrity check and the consent proof both ask it.
export async function checkSignedHeadsNow(s: { db: AppDatabase; trust: Pick<DeviceTrust, 'registry'>; sync: Pick<SyncService, 'caughtUpAt' | 'gate'> }): Promise<ChainHeadCheck> {
  return checkChainHeads({
    db: s.db,
    registry: await s.trust.registry(),
    caughtUpAt: s.sync.caughtUpAt('consent_events'),
    keptAsideEvents: async () =>
      (await s.sync.gate.quarantine.all()).filter((e) => e.collection === 'consent_events' && e.doc !== null).map((e) => ({ deviceId: e.doc?.deviceId, seq: e.doc?.seq })),
  });
}
