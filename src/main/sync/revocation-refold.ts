import type { DeviceTrust } from '../device/device-trust';
import { readDiscounts, writeDiscounts } from '../ledger/discounted-events';
import type { ConsentLedger } from '../ledger/ledger-service';
import { stateId } from '../ledger/projection';
import { createSerialQueue } from '../ledger/serial-queue';
import type { Logger } from '../logger';
import type { AppDatabase } from '../store/database';
import { insertMissing } from '../store/insert-documents';
import { queryPlain } from '../store/plain-documents';
import { settleLatest } from '../settle-latest';

/*
 * A revocation can arrive after some of the revoked device's later events (after its
 * `upToSeq`) were already checked, stored and folded here: they passed, as the device was
 * enrolled then. When the registry learns the revocation, those events stop counting: this
 * device records the discount (ledger/discounted-events.ts, which every fold respects from
 * then on), folds the contacts they touched again without them, and audits it. The events
 * stay in the ledger, where the integrity check reports them as failing (device_revoked).
 */
export const REFOLD_ACTION = 'integrity.revocation_refolded';
const MAX_LISTED = 50;
// The discounts whose contacts were folded again: { deviceId: upToSeq }.
const REFOLDED_META = 'ledger:discounted-refolded';

export function installRevocationRefold(deps: { db: AppDatabase; trust: DeviceTrust; ledger: Pick<ConsentLedger, 'refoldKeys'>; deviceId: string; now: () => Date; log: Logger }): {
  settled(): Promise<void>;
  close(): void;
} {
  const { db, trust, ledger, now, log } = deps;
  const serial = createSerialQueue();
  let closed = false;
  let last: Promise<void> = Promise.resolve();

  const apply = async () => {
    if (closed) return;
    const registry = await trust.registry();
    const before = await readDiscounts(db);
    const after = new Map(before);
    for (const d of registry.devices()) {
      const known = before.get(d.deviceId);
      if (d.revoked && (known === undefined || d.revoked.upToSeq < known)) after.set(d.deviceId, d.revoked.upToSeq);
    }
    const at = now().toISOString();
    // The discount first, so every fold from now on leaves the events out; then the re-folds,
    // each marked done after its audit entry: one a crash interrupts is done again at the next start.
    if ([...after].some(([id, upTo]) => before.get(id) !== upTo)) await writeDiscounts(db, after, at);
    const [doneDoc] = await db.local_meta.storageInstance.findDocumentsById([REFOLDED_META], false);
    const done: Record<string, unknown> = { ...((doneDoc?.value ?? {}) as Record<string, unknown>) };
    for (const [deviceId, upToSeq] of after) {
      if (closed) return;
      if (done[deviceId] === upToSeq) continue;
      const events = await queryPlain(db.consent_events, { selector: { deviceId, seq: { $gt: upToSeq } } });
      const keys = new Map<string, [string, string]>();
      for (const e of events) keys.set(stateId(e.contactId, e.typeId), [e.contactId, e.typeId]);
      if (keys.size > 0) await ledger.refoldKeys([...keys.values()]);
      const contacts = [...new Set(events.map((e) => e.contactId))];
      // Audited where something stopped counting (the audit log is shared: each device files its own).
      if (events.length > 0) await insertMissing(db.audit_log, [
        {
          id: `refold:${deps.deviceId}:${deviceId}:${upToSeq}`,
          action: REFOLD_ACTION,
          actorId: 'system',
          actorName: 'Consent Desk',
          details: { deviceId, upToSeq, events: events.length, contacts: contacts.length, contactIds: contacts.slice(0, MAX_LISTED) },
          at,
          deviceId: deps.deviceId,
        },
      ]);
      done[deviceId] = upToSeq;
      await db.local_meta.upsert({ id: REFOLDED_META, value: done, updatedAt: at });
      if (events.length > 0) log.warn(`device: ${events.length} events of revoked device ${deviceId} after seq ${upToSeq} no longer count; ${contacts.length} contacts folded again`);
    }
  };
  const schedule = () => {
    last = serial(apply).catch((e: unknown) => log.error('device: folding again after a revocation failed', e));
  };
  const stop = trust.onChange(schedule);
  schedule();
  return {
    settled: () => settleLatest(() => last),
    close() {
      closed = true;
      stop();
    },
  };
}
