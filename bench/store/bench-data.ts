import { ulid } from 'ulid';
import { stateId } from '../../src/main/ledger/projection';
import type { ConsentEvent, ConsentSource, ConsentStateRow, ConsentStatus, LegalBasis } from '../../src/shared/domain';
import { seededRandom as seeded } from '../../test/helpers/seeded-random';
export { seeded };

/*
 * The app's own consent events and projection rows: its schemas (indexes included) and its
 * document shape, with ids shaped as the app makes them (ULIDs, in time order). A synthetic
 * document would measure a different job: other sizes, other indexes.
 */
export type BenchEvent = ConsentEvent;
export type BenchState = ConsentStateRow;

export const CONTACTS = 100_000;
const TYPES = ['marketing-news', 'marketing-offers', 'service-updates'];
const STATUSES: ConsentStatus[] = ['subscribed', 'unsubscribed', 'not_specified'];
const SOURCES: ConsentSource[] = ['csv_import', 'manual', 'keyword', 'bulk'];
const BASES: LegalBasis[] = ['consent_with_notice', 'legitimate_interest_client', 'performance_of_contract'];
const DEVICES = ['dev-3f9a1c0d2b7e4a65', 'dev-8e21b5d4c3a09f17', 'dev-51c7e2a9d0b84f36', 'dev-c0d94b1e7a26f583'];
const BASE_TIME = Date.UTC(2024, 0, 1);

let contactIds: string[] | undefined;

// Contact ids in the order their creation time gives them (ULIDs sort by time).
export function contactId(n: number): string {
  contactIds ??= (() => {
    const random = seeded(11);
    return Array.from({ length: CONTACTS }, (_, i) => ulid(BASE_TIME - 86_400_000 + i, random));
  })();
  return contactIds[n] ?? '\uffff';
}

function hex(random: () => number): string {
  let s = '';
  for (let i = 0; i < 8; i++) {
    s += Math.floor(random() * 0xffffffff).toString(16).padStart(8, '0');
  }
  return s;
}

const pick = <T>(values: readonly T[], random: () => number): T => values[Math.floor(random() * values.length)] as T;

// Generated batch by batch so the generator itself never holds a million documents.
export function* eventBatches(size: number, batchSize: number): Generator<BenchEvent[]> {
  const random = seeded(42);
  const prevHash = DEVICES.map(() => '0'.repeat(64));
  for (let start = 0; start < size; start += batchSize) {
    const batch: BenchEvent[] = [];
    for (let i = start; i < Math.min(size, start + batchSize); i++) {
      const device = i % DEVICES.length;
      const hash = hex(random);
      const occurredAt = new Date(BASE_TIME + Math.floor(random() * 365 * 86_400_000)).toISOString();
      const source = pick(SOURCES, random);
      batch.push({
        id: ulid(BASE_TIME + i, random),
        contactId: contactId(i % CONTACTS),
        typeId: pick(TYPES, random),
        status: pick(STATUSES, random),
        previousStatus: 'not_specified',
        source,
        legalBasis: pick(BASES, random),
        explanation: source === 'manual' ? 'Zgoda udzielona przy ladzie, formularz papierowy' : '',
        actor: { kind: 'user', id: '01JD3Q5N8X7G2M4K6P9R1T3V5W', name: 'Anna Kowalska' },
        evidence: source === 'csv_import' ? { fileName: 'kontakty-2024.csv', row: i + 2 } : {},
        occurredAt,
        recordedAt: occurredAt,
        deviceId: DEVICES[device] ?? '',
        seq: Math.floor(i / DEVICES.length) + 1,
        basedOn: '',
        hash,
        prevHash: prevHash[device] ?? '',
      });
      prevHash[device] = hash;
    }
    yield batch;
  }
}

/*
 * Latest event per (contact, type), packed into one string per key (occurredAt first, fixed
 * width, then status, event id, device and seq, tab-separated): at 1M events the fold keeps
 * 294,770 keys, and an object with five strings each would put some 100 MB of the bench's own
 * data into the peak RSS that is meant to show the store's.
 */
export type Latest = Map<string, string>;
const OCCURRED_AT_LENGTH = '2024-01-01T00:00:00.000Z'.length;

// A joined string is a tree over its parts (here, strings of the parsed document) until V8
// flattens it; reading a character makes V8 flatten it, so the parts can be collected.
function flat(text: string): string {
  text.charCodeAt(0);
  return text;
}

export const STATE_BATCH = 10_000;

// The projection rows of a fold, STATE_BATCH at a time; each entry leaves the map as its row
// is made, so the fold's map and the rows are never both held whole.
export function* stateChunks(latest: Latest): Generator<BenchState[]> {
  let chunk: BenchState[] = [];
  for (const [id, packed] of latest) {
    latest.delete(id);
    const [contact = '', typeId = ''] = id.split('|');
    const [occurredAt = '', status = 'not_specified', eventId = '', deviceId = '', seq = '0'] = packed.split('\t');
    chunk.push({
      id, contactId: contact, typeId, status: status as ConsentStatus, lastEventId: eventId, ownOptOut: false,
      updatedAt: occurredAt, lastOccurredAt: occurredAt, lastDeviceId: deviceId, lastSeq: Number(seq),
    });
    if (chunk.length === STATE_BATCH) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) {
    return Number.NaN;
  }
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

// Latest event per (contact, type): the fold the current-status projection needs.
export function foldLatest(target: Latest, event: Pick<BenchEvent, 'id' | 'contactId' | 'typeId' | 'occurredAt' | 'status' | 'deviceId' | 'seq'>): void {
  const key = stateId(event.contactId, event.typeId);
  const current = target.get(key);
  if (!current || current.slice(0, OCCURRED_AT_LENGTH) < event.occurredAt) {
    target.set(current ? key : flat(key), flat(`${event.occurredAt}\t${event.status}\t${event.id}\t${event.deviceId}\t${event.seq}`));
  }
}
