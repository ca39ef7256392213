import type { RxJsonSchema } from 'rxdb';
import { seededRandom as seeded } from '../../test/helpers/seeded-random';
export { seeded };

export const CONTACTS = 100_000;
const TYPES = 3;
const STATUSES = ['opted_in', 'opted_out', 'pending'] as const;

export type BenchEvent = {
  id: string;
  contactId: string;
  typeId: string;
  status: string;
  occurredAt: string;
  deviceId: string;
  seq: number;
  hash: string;
  prevHash: string;
  source: string;
};

export const benchEventSchema: RxJsonSchema<BenchEvent> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 64 },
    contactId: { type: 'string', maxLength: 128 },
    typeId: { type: 'string', maxLength: 128 },
    status: { type: 'string', maxLength: 32 },
    occurredAt: { type: 'string', maxLength: 30 },
    deviceId: { type: 'string', maxLength: 128 },
    seq: { type: 'integer', minimum: 0, maximum: 1_000_000_000_000, multipleOf: 1 },
    hash: { type: 'string', maxLength: 64 },
    prevHash: { type: 'string', maxLength: 64 },
    source: { type: 'string', maxLength: 32 },
  },
  required: ['id', 'contactId', 'typeId', 'status', 'occurredAt', 'deviceId', 'seq', 'hash', 'prevHash', 'source'],
  indexes: [['contactId', 'occurredAt'], 'typeId'],
};

// The bench's copy of the app's consent_state projection: one row per (contact, type).
export type BenchState = { id: string; contactId: string; typeId: string; status: string; lastOccurredAt: string };

export const benchStateSchema: RxJsonSchema<BenchState> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 260 },
    contactId: { type: 'string', maxLength: 128 },
    typeId: { type: 'string', maxLength: 128 },
    status: { type: 'string', maxLength: 32 },
    lastOccurredAt: { type: 'string', maxLength: 30 },
  },
  required: ['id', 'contactId', 'typeId', 'status', 'lastOccurredAt'],
  indexes: ['contactId', ['typeId', 'status']],
};

export type Latest = Map<string, { occurredAt: string; status: string }>;

export function stateRows(latest: Latest): BenchState[] {
  return [...latest].map(([id, value]) => {
    const [contact = '', typeId = ''] = id.split('|');
    return { id, contactId: contact, typeId, status: value.status, lastOccurredAt: value.occurredAt };
  });
}

export function contactId(n: number): string {
  return `c${String(n).padStart(6, '0')}`;
}

function hex(random: () => number): string {
  let s = '';
  for (let i = 0; i < 8; i++) {
    s += Math.floor(random() * 0xffffffff).toString(16).padStart(8, '0');
  }
  return s;
}


const BASE_TIME = Date.UTC(2024, 0, 1);

// Generated batch by batch so the generator itself never holds a million documents.
export function* eventBatches(size: number, batchSize: number): Generator<BenchEvent[]> {
  const random = seeded(42);
  let prevHash = '0'.repeat(64);
  for (let start = 0; start < size; start += batchSize) {
    const batch: BenchEvent[] = [];
    for (let i = start; i < Math.min(size, start + batchSize); i++) {
      const hash = hex(random);
      batch.push({
        id: `e${String(i).padStart(9, '0')}`,
        contactId: contactId(i % CONTACTS),
        typeId: `type-${Math.floor(random() * TYPES)}`,
        status: STATUSES[Math.floor(random() * STATUSES.length)] ?? 'pending',
        occurredAt: new Date(BASE_TIME + Math.floor(random() * 365 * 86_400_000)).toISOString(),
        deviceId: `device-${i % 4}`,
        seq: i,
        hash,
        prevHash,
        source: 'import',
      });
      prevHash = hash;
    }
    yield batch;
  }
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) {
    return Number.NaN;
  }
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

// Latest event per (contact, type): the fold the current-status projection needs.
export function foldLatest(target: Latest, event: Pick<BenchEvent, 'contactId' | 'typeId' | 'occurredAt' | 'status'>): void {
  const key = `${event.contactId}|${event.typeId}`;
  const current = target.get(key);
  if (!current || current.occurredAt < event.occurredAt) {
    target.set(key, { occurredAt: event.occurredAt, status: event.status });
  }
}
