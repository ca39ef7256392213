import type { SignatureCheck } from '../../shared/api/device-channels';
import type { DeviceRegistry } from '../device/device-registry';
import { scanStore } from '../ledger/store-scan';
import type { AppDatabase } from '../store/database';
import { createSignatureTally } from './signature-tally';

/*
 * Every event in the ledger against the enrolment registry: signed by its enrolled device,
 * "legacy, unsigned" (written before its device signed, up to the seq its enrolment names), or
 * failing. Arrivals that fail never enter the ledger, so a failing event here was written on this
 * device, or entered before what makes it fail arrived (a revocation received later).
 * This is the check on the main thread, through the store's queries; the integrity check runs
 * the same tally in workers on their own connections (ledger-signature-scan.ts).
 */
export async function checkSignatures(db: AppDatabase, registry: DeviceRegistry): Promise<SignatureCheck> {
  const tally = createSignatureTally();
  await scanStore(db.consent_events, (event) => tally.add(event, registry));
  return tally.result();
}
