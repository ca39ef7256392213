import { createHash } from 'node:crypto';
import type { ChainHead, ConsentProof, ConsentProofDocument, ProofEventCheck } from '../../shared/api/history-channels';
import { canonicalJson } from '../../shared/consent/canonical-json';
import { ALL_WHATSAPP_TYPE_ID, type ConsentEvent, type User } from '../../shared/domain';
import { AppError } from '../app-error';
import { hashMatches } from '../consent/event-hash';
import type { ContactDirectory } from '../contacts/contact-directory';
import type { ConsentLedger } from '../ledger/ledger-service';
import type { AppDatabase } from '../store/database';
import type { TypeService } from '../subscription-types/type-service';

// A per-contact consent proof for a data-subject or regulator request (SPEC 13): all
// of the contact's events with their hashes, each checked against its own content and
// against its neighbours in the recording device's chain, the current chain heads,
// and a sha-256 over the canonical JSON of the whole document. Anyone holding the
// JSON can recompute both the event hashes (event-hash.ts rules) and the digest.
export const PROOF_METHOD =
  'Each event hash is sha-256 over the canonical JSON (keys sorted, no white space) of every event field except "hash", ' +
  'including "prevHash", the hash of the previous event recorded on the same device. "sha256" is sha-256 over the canonical JSON of "document". ' +
  'Each signed chain head in "signedHeads.known" is an Ed25519 signature ("sig", base64url) by the key in "signedHeads.deviceKeys" (raw 32 bytes, ' +
  'base64url) over the UTF-8 text "consentdesk/chain-head/v1", a line feed, and the canonical JSON of {v, deviceId, seq, hash, at}: the device ' +
  'stating that its chain reached "seq", whose event hashes to "hash". "signedHeads.tails" lists chains that ended before their head on the ' +
  'device that made this proof (events missing there); while any is listed, "allChecksPassed" is false.';

export const digestOf = (document: ConsentProofDocument) =>
  createHash('sha256').update(canonicalJson(document), 'utf8').digest('hex');

export type ProofService = { build(contactId: string, requestedBy: User): Promise<ConsentProof> };

export function createProofService(deps: {
  db: AppDatabase;
  ledger: ConsentLedger;
  directory: ContactDirectory;
  types: TypeService;
  deviceId: string;
  now: () => Date;
  // The devices' signed chain heads known now (sync/signed-heads-now.ts).
  signedHeads?: () => Promise<NonNullable<ConsentProofDocument['signedHeads']>>;
}): ProofService {
  const { db, ledger, directory, types, deviceId, now } = deps;

  const neighbour = async (e: ConsentEvent, seq: number) =>
    db.consent_events.findOne({ selector: { deviceId: e.deviceId, seq } }).exec();

  const checkEvent = async (e: ConsentEvent): Promise<ProofEventCheck> => {
    const [prev, next] = await Promise.all([e.seq > 1 ? neighbour(e, e.seq - 1) : Promise.resolve(null), neighbour(e, e.seq + 1)]);
    return {
      eventId: e.id,
      contentHashOk: hashMatches(e),
      linkedToPrevious: e.seq === 1 ? e.prevHash === '' : !!prev && prev.hash === e.prevHash,
      linkedByNext: next ? next.prevHash === e.hash : null,
    };
  };

  const headOf = async (device: string): Promise<ChainHead | null> => {
    const doc = await db.consent_events.findOne({ selector: { deviceId: device }, sort: [{ deviceId: 'desc' }, { seq: 'desc' }] }).exec();
    return doc ? { deviceId: device, seq: doc.seq, eventId: doc.id, hash: doc.hash } : null;
  };

  return {
    async build(contactId, requestedBy) {
      const contact = directory.get(contactId) ?? (await db.contacts.findOne(contactId).exec());
      if (!contact) throw new AppError('not_found', 'No such contact.');
      const events = (await ledger.events(contactId)).sort(
        (a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.deviceId.localeCompare(b.deviceId) || a.seq - b.seq,
      );
      const [states, typeList] = await Promise.all([ledger.statesForContact(contactId), types.list(true)]);
      const typeNames = new Map(typeList.map((t) => [t.id, t.name]));
      const checks: ProofEventCheck[] = [];
      for (const e of events) checks.push(await checkEvent(e));
      const heads: ChainHead[] = [];
      for (const device of [...new Set(events.map((e) => e.deviceId))].sort()) {
        const head = await headOf(device);
        if (head) heads.push(head);
      }
      // Every device's head, not only those of this contact's events: a missing event of any
      // device may be this contact's (a STOP the server withheld).
      const signedHeads = deps.signedHeads ? await deps.signedHeads() : undefined;
      const document: ConsentProofDocument = {
        format: 'consent-desk/proof@1',
        generatedAt: now().toISOString(),
        generatedBy: { id: requestedBy.id, name: requestedBy.name },
        generatedOnDevice: deviceId,
        contact: { id: contact.id, name: contact.name, waNumber: contact.waNumber, email: contact.email },
        currentStatus: states
          .map((s) => ({
            typeId: s.typeId,
            typeName: s.typeId === ALL_WHATSAPP_TYPE_ID ? 'All WhatsApp' : (typeNames.get(s.typeId) ?? s.typeId),
            status: s.status,
            lastEventId: s.lastEventId,
          }))
          .sort((a, b) => a.typeName.localeCompare(b.typeName)),
        events,
        checks,
        allChecksPassed: checks.every((c) => c.contentHashOk && c.linkedToPrevious && c.linkedByNext !== false) && (signedHeads?.tails.length ?? 0) === 0,
        chainHeads: heads,
        ...(signedHeads ? { signedHeads } : {}),
        method: PROOF_METHOD,
      };
      return { document, sha256: digestOf(document) };
    },
  };
}
