import type { IntegrityReport } from '../../shared/api/history-channels';
import type { DeviceRegistry } from '../device/device-registry';
import type { ConsentLedger } from '../ledger/ledger-service';
import { erasedSummary } from '../erasure/erased-summary';
import type { AppDatabase } from '../store/database';
import type { IntegrityService } from './integrity-service';
import { compareProjection } from './projection-check';

export type IntegrityCheckDeps = {
  db: AppDatabase;
  integrity: IntegrityService;
  ledger: Pick<ConsentLedger, 'rebuildProjection'>;
  quarantined: () => Promise<number>;
  // The enrolment registry every event's signature is checked against (in the check's workers).
  registry: () => Promise<DeviceRegistry>;
  // The devices' signed chain heads against the chains held here (chain-tails.ts).
  signedHeads?: () => Promise<NonNullable<IntegrityReport['signedHeads']>>;
  // Told of a repair before the report is returned, so it is on record even if the caller fails.
  onRepaired: (check: { differenceCount: number; differences: IntegrityReport['projection']['differences'] }) => Promise<void>;
};

// The whole check: the chains, then the projection against the ledger (repaired when they
// differ: the ledger is the record, the projection only its summary), then the quarantine, the
// signatures and the signed chain heads (a truncated tail is never ok, even while it may still arrive).
export async function runIntegrityCheck(deps: IntegrityCheckDeps): Promise<IntegrityReport> {
  const { signatures, ...chains } = await deps.integrity.verifyWithSignatures(await deps.registry());
  const comparison = await compareProjection(deps.db);
  let repaired = false;
  if (comparison.differenceCount > 0) {
    await deps.ledger.rebuildProjection();
    repaired = true;
    await deps.onRepaired({ differenceCount: comparison.differenceCount, differences: comparison.differences.slice(0, 20) });
  }
  const signedHeads = deps.signedHeads ? await deps.signedHeads() : undefined;
  const headsOk = !signedHeads || (signedHeads.tails.length === 0 && signedHeads.mismatches.length === 0);
  return {
    ...chains,
    ok: chains.ok && comparison.differenceCount === 0 && signatures.failing === 0 && headsOk,
    projection: { ...comparison, repaired },
    quarantined: await deps.quarantined(),
    erased: await erasedSummary(deps.db),
    signatures,
    ...(signedHeads ? { signedHeads } : {}),
  };
}
