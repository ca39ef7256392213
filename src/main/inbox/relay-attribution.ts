import { RELAY_ATTRIBUTION } from '../../shared/relay/webhook-inbox';
import type { ConsentLedger } from '../ledger/ledger-service';

// The ledger as the relay inbox's ingestion sees it: every event it appends says it came
// through the webhook relay ("WhatsApp (relay)" in its evidence), beside the source the
// message itself decided (keyword, template button, platform preference). The event ids stay
// the ingestion's deterministic `msg:<message id>:<type id>`.
export const RELAY_EVIDENCE_KEY = 'channel';

export function attributeToRelay(ledger: ConsentLedger): ConsentLedger {
  return {
    ...ledger,
    append: (changes, options) => ledger.append(changes.map((c) => ({ ...c, evidence: { ...c.evidence, [RELAY_EVIDENCE_KEY]: RELAY_ATTRIBUTION } })), options),
  };
}
