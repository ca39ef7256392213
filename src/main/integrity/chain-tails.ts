import { normalizeMangoQuery, prepareQuery, type MangoQuerySelector } from 'rxdb';
import type { ChainHeadCheck, ChainHeadMismatch, SignedChainHead, TruncatedTail } from '../../shared/api/history-channels';
import { CHAIN_HEAD_ACTION, checkChainHead, headOfEntry, newestHeads } from '../device/chain-heads';
import type { DeviceRegistry } from '../device/device-registry';
import type { AppDatabase } from '../store/database';
import { queryPlain } from '../store/plain-documents';
import type { AuditLogDoc } from '../store/schemas/operations-schemas';
import { provenKeptLinks } from './kept-links';

/*
 * The devices' signed chain heads (device/chain-heads.ts) against the chains held here. A chain
 * that ends before its device's head is a truncated tail: its newest events are missing. Told
 * apart (TruncatedTail in the API):
 *  - withheld: since the head arrived here, this device has read the server's consent events to
 *    their end (a read that began after the head was stored) and the events were not among them.
 *    A device publishes a head only over events the server acknowledged, so an honest server
 *    holds them; the server withheld or lost them.
 *  - not yet arrived: no such read yet (sync is off, or has not caught up since).
 * Neither is "ok", and neither is "tampered": the events may still come, and the report clears.
 */

// A head that verified, and when (ms, this device's clock) its record was stored here.
export type ArrivedHead = { head: SignedChainHead; arrivedAt: number };

// What this device holds of one device's chain.
export type HeldChain = {
  // The newest seq held, as an event or a kept link (0: none).
  heldUpTo: number;
  // The hash held at a seq, if any.
  hashAt(seq: number): string | undefined;
  // Events of the chain between two seqs (inclusive) that arrived and were kept aside.
  keptAside(from: number, to: number): number;
};

const iso = (ms: number) => new Date(ms).toISOString();

// Pure: the verdicts from the verified heads, the chains held and the last read that reached the end.
export function judgeChainHeads(heads: readonly ArrivedHead[], chainOf: (deviceId: string) => HeldChain, caughtUpAt: number | null, failing = 0): ChainHeadCheck {
  const known = newestHeads(heads.map((h) => h.head));
  const tails: TruncatedTail[] = [];
  const mismatches: ChainHeadMismatch[] = [];
  for (const head of known) {
    const chain = chainOf(head.deviceId);
    if (chain.heldUpTo >= head.seq) {
      const held = chain.hashAt(head.seq);
      if (held !== undefined && held !== head.hash) {
        mismatches.push({
          deviceId: head.deviceId, seq: head.seq, headHash: head.hash, heldHash: held,
          message: `device ${head.deviceId} signed a head for seq ${head.seq} that names another event than the one held at that seq`,
        });
      }
      continue;
    }
    const ahead = heads.filter((h) => h.head.deviceId === head.deviceId && h.head.seq > chain.heldUpTo);
    const firstArrived = Math.min(...ahead.map((h) => h.arrivedAt));
    const withheld = caughtUpAt !== null && caughtUpAt > firstArrived;
    const from = chain.heldUpTo + 1;
    const keptAside = chain.keptAside(from, head.seq);
    const range = from === head.seq ? `event ${from}` : `events ${from}..${head.seq}`;
    tails.push({
      deviceId: head.deviceId,
      heldUpTo: chain.heldUpTo,
      headSeq: head.seq,
      missingFrom: from,
      missingTo: head.seq,
      keptAside,
      state: withheld ? 'withheld' : 'not_yet_arrived',
      headAt: head.at,
      headArrivedAt: iso(firstArrived),
      message:
        `chain of device ${head.deviceId} ends at seq ${chain.heldUpTo} but its signed head says ${head.seq}: ${range} missing ` +
        (withheld
          ? '(withheld: the server had nothing more when this device last read it to the end, after the head arrived)'
          : '(not yet arrived: sync has not read the server to the end since the head arrived)') +
        (keptAside > 0 ? `; ${keptAside} of them arrived and are kept aside (Sync problems)` : ''),
    });
  }
  return { known, tails, mismatches, failing };
}

// Head records held, with their local write time (RxDB's _meta.lwt: when this store took them).
async function heldHeadEntries(db: AppDatabase): Promise<Array<{ entry: AuditLogDoc; storedAt: number }>> {
  const schema = db.audit_log.schema.jsonSchema;
  const selector = { action: CHAIN_HEAD_ACTION, _deleted: { $eq: false } } as MangoQuerySelector<AuditLogDoc>;
  const prepared = prepareQuery(schema, normalizeMangoQuery<AuditLogDoc>(schema, { selector }));
  const { documents } = await db.audit_log.storageInstance.query(prepared);
  return documents.map((d) => ({ entry: d, storedAt: d._meta.lwt }));
}

export type ChainHeadCheckDeps = {
  db: AppDatabase;
  registry: DeviceRegistry;
  // When the last read of the server's consent events that reached the end began (SyncService.caughtUpAt).
  caughtUpAt: number | null;
  // Consent events kept aside by the arrival checks (the quarantine's documents).
  keptAsideEvents: () => Promise<ReadonlyArray<{ deviceId: unknown; seq: unknown }>>;
};

export async function checkChainHeads(deps: ChainHeadCheckDeps): Promise<ChainHeadCheck> {
  const { db, registry } = deps;
  const arrived: ArrivedHead[] = [];
  let failing = 0;
  for (const { entry, storedAt } of await heldHeadEntries(db)) {
    const found = headOfEntry(entry);
    if ('head' in found && checkChainHead(found.head, registry).ok) arrived.push({ head: found.head, arrivedAt: storedAt });
    else failing += 1;
  }
  const aside = await deps.keptAsideEvents();
  const chains = new Map<string, HeldChain>();
  for (const head of newestHeads(arrived.map((a) => a.head))) {
    const deviceId = head.deviceId;
    const [newest] = await queryPlain(db.consent_events, { selector: { deviceId }, sort: [{ deviceId: 'desc' }, { seq: 'desc' }], limit: 1 });
    const [atHead] = await queryPlain(db.consent_events, { selector: { deviceId, seq: head.seq }, limit: 1 });
    const links = await provenKeptLinks(db, deviceId);
    const heldUpTo = Math.max(newest?.seq ?? 0, ...links.map((l) => l.seq));
    const hashAtHead = atHead?.hash ?? links.find((l) => l.seq === head.seq)?.hash;
    chains.set(deviceId, {
      heldUpTo,
      hashAt: (seq) => (seq === head.seq ? hashAtHead : undefined),
      keptAside: (from, to) => aside.filter((e) => e.deviceId === deviceId && typeof e.seq === 'number' && e.seq >= from && e.seq <= to).length,
    });
  }
  const none: HeldChain = { heldUpTo: 0, hashAt: () => undefined, keptAside: () => 0 };
  return judgeChainHeads(arrived, (deviceId) => chains.get(deviceId) ?? none, deps.caughtUpAt, failing);
}
