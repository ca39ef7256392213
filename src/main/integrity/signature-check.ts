import type { SignatureCheck } from '../../shared/api/device-channels';
import type { DeviceRegistry } from '../device/device-registry';
import { scanStore } from '../ledger/store-scan';
import type { AppDatabase } from '../store/database';

// The examples a report carries; the counts cover every event.
const MAX_LISTED = 100;

/*
 * Every event in the ledger against the enrolment registry: signed by its enrolled device,
 * "legacy, unsigned" (written before its device signed, up to the seq its enrolment names), or
 * failing. Arrivals that fail never enter the ledger, so a failing event here was written on this
 * device, or entered before what makes it fail arrived (a revocation received later).
 */
export async function checkSignatures(db: AppDatabase, registry: DeviceRegistry): Promise<SignatureCheck> {
  const check: SignatureCheck = { signed: 0, legacyUnsigned: 0, failing: 0, problems: [] };
  await scanStore(db.consent_events, (event) => {
    const verdict = registry.checkEvent(event);
    if (verdict.ok) {
      if (verdict.legacy) check.legacyUnsigned += 1;
      else check.signed += 1;
      return;
    }
    check.failing += 1;
    if (check.problems.length < MAX_LISTED) {
      check.problems.push({ eventId: event.id, deviceId: event.deviceId, seq: event.seq, reason: verdict.reason, message: verdict.detail });
    }
  });
  return check;
}
