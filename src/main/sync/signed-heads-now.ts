import type { ChainHeadCheck, ConsentProofDocument } from '../../shared/api/history-channels';
import type { DeviceTrust } from '../device/device-trust';
import { checkChainHeads } from '../integrity/chain-tails';
import type { AppDatabase } from '../store/database';
import type { SyncService } from './sync-service';

// The signed-heads check (integrity/chain-tails.ts) with what the running app knows now: its
// registry, its last read of the server's consent events to their end, and the events its
// arrival checks kept aside. The integrity check and the consent proof both ask it.
type Deps = { db: AppDatabase; trust: Pick<DeviceTrust, 'registry'>; sync: Pick<SyncService, 'caughtUpAt' | 'gate'> };

export async function checkSignedHeadsNow(s: Deps): Promise<ChainHeadCheck> {
  return checkChainHeads({
    db: s.db,
    registry: await s.trust.registry(),
    caughtUpAt: s.sync.caughtUpAt('consent_events'),
    keptAsideEvents: async () =>
      (await s.sync.gate.quarantine.all()).filter((e) => e.collection === 'consent_events' && e.doc !== null).map((e) => ({ deviceId: e.doc?.deviceId, seq: e.doc?.seq })),
  });
}

// What a consent proof carries: the heads known now, the tails they show, and the enrolled public
// key of each head's device, so that whoever holds the proof can check the signatures.
export async function signedHeadsForProof(s: Deps): Promise<NonNullable<ConsentProofDocument['signedHeads']>> {
  const check = await checkSignedHeadsNow(s);
  const registry = await s.trust.registry();
  return {
    known: check.known,
    tails: check.tails,
    deviceKeys: check.known.map((h) => ({ deviceId: h.deviceId, publicKey: registry.device(h.deviceId)?.publicKey ?? '' })),
  };
}
