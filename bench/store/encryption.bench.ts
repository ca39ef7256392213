// Encrypted vs plain store, same run: insert rate and the time to open a store of N events.
//   npx tsx bench/store/encryption.bench.ts [--size 100000] [--batch 10000] [--full] [--only a,b]
// --full: 1,000,000 events (the figure). Every store goes through the app's RxStorage on
// SQLite with the same settings; what differs is the key, the page encryption scheme and (one
// variant) the page cache (sqlite-driver.ts). Target: encrypted ≤ 1.3× plain for both. The
// machine may be shared: each store is written and opened in turn in one process, inserts are
// also given per CPU-second, and ratios are same-run, against the plain store.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRxDatabase, type RxCollection, type RxJsonSchema, type RxStorage } from 'rxdb';
import { type CipherScheme, getRxStorageSQLite } from '../../src/main/store/rx-storage-sqlite';

type Variant = { label: string; scheme?: CipherScheme; cacheSizeKb?: number };
// plain first: every ratio is against it. sqlcipher-v4 is what stores have used so far.
const VARIANTS: Variant[] = [
  { label: 'plain' },
  { label: 'sqlcipher-v4', scheme: 'sqlcipher-v4' },
  { label: 'sqlcipher-v4+64MB-cache', scheme: 'sqlcipher-v4', cacheSizeKb: 65536 },
  { label: 'sqlcipher-v4-16k', scheme: 'sqlcipher-v4-16k' },
  { label: 'chacha20', scheme: 'chacha20' },
];

if (process.argv.includes('--help')) {
  console.log(`Encrypted vs plain store: insert rate and open time, same run.
  npx tsx bench/store/encryption.bench.ts [--size 100000] [--batch 10000] [--full]
  --size   events written into each store (default 100,000)
  --batch  events per bulkInsert (default 10,000)
  --full   1,000,000 events
  --only   a comma-separated list of variants (default all): ${VARIANTS.map((v) => v.label).join(', ')}`);
  process.exit(0);
}

const argument = (name: string): string | undefined => {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
};
const SIZE = process.argv.includes('--full') ? 1_000_000 : Number(argument('size') ?? 100_000);
const BATCH = Number(argument('batch') ?? 10_000);

type BenchEvent = { id: string; contactId: string; typeId: string; kind: string; occurredAt: string; explanation: string };
const schema: RxJsonSchema<BenchEvent> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 40 },
    contactId: { type: 'string', maxLength: 40 },
    typeId: { type: 'string', maxLength: 40 },
    kind: { type: 'string' },
    occurredAt: { type: 'string', maxLength: 30 },
    explanation: { type: 'string' },
  },
  required: ['id', 'contactId', 'typeId', 'kind', 'occurredAt', 'explanation'],
  indexes: [['contactId', 'occurredAt'], 'occurredAt'],
};

const events = (from: number, count: number): BenchEvent[] =>
  Array.from({ length: count }, (_, k) => {
    const i = from + k;
    return {
      id: `ev${String(i).padStart(9, '0')}`,
      contactId: `c${(i * 7919) % 100_000}`,
      typeId: `t${i % 5}`,
      kind: i % 3 ? 'opt_in' : 'opt_out',
      occurredAt: new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString(),
      explanation: `Signed up at the spring fair, stand ${i % 40}`,
    };
  });

type Collections = { events: RxCollection<BenchEvent> };

async function open(storage: RxStorage<unknown, unknown>) {
  const db = await createRxDatabase<Collections>({ name: 'bench', storage, multiInstance: false });
  await db.addCollections({ events: { schema } });
  return db;
}

type Figures = { insertPerSec: number; insertPerCpuSec: number; openMs: number; fileMb: number };

async function measure(variant: Variant, size = SIZE): Promise<Figures> {
  const { label, scheme, cacheSizeKb } = variant;
  const directory = mkdtempSync(join(tmpdir(), `cd-enc-bench-${label}-`));
  const key = scheme ? randomBytes(32) : undefined;
  const storage = () => getRxStorageSQLite({ directory, synchronous: 'NORMAL', cipherKey: key, cipherScheme: scheme, cacheSizeKb }) as RxStorage<unknown, unknown>;
  try {
    const db = await open(storage());
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < size; i += BATCH) await db.events.bulkInsert(events(i, Math.min(BATCH, size - i)));
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    await db.close();
    // Open as the app does at start: the database, the collection, then a first indexed read and a count.
    const opening = performance.now();
    const again = await open(storage());
    await again.events.findOne({ selector: { contactId: 'c42' }, sort: [{ occurredAt: 'desc' }] }).exec();
    const count = await again.events.count().exec();
    const openMs = performance.now() - opening;
    await again.close();
    if (count !== size) throw new Error(`${label}: ${count} events after reopening, expected ${size}`);
    return {
      insertPerSec: size / seconds,
      insertPerCpuSec: size / ((used.user + used.system) / 1e6),
      openMs,
      fileMb: statSync(join(directory, 'bench.sqlite')).size / 1e6,
    };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString('en');
const only = argument('only')?.split(',');
const chosen = VARIANTS.filter((v) => v.label === 'plain' || !only || only.includes(v.label));
console.log(`${SIZE.toLocaleString('en')} events, bulkInsert of ${BATCH.toLocaleString('en')}, synchronous NORMAL`);
// Untimed warm-up of every path (module loading, JIT), so the first measured store is not charged for it.
for (const variant of chosen) await measure(variant, Math.min(SIZE, 5000));
const figures: Array<[Variant, Figures]> = [];
for (const variant of chosen) figures.push([variant, await measure(variant)]);
const [, plain] = figures[0] ?? [];
if (!plain) throw new Error('no plain figures');
for (const [{ label }, f] of figures) {
  const ratios = label === 'plain' ? '' : `  vs plain: insert ${(plain.insertPerSec / f.insertPerSec).toFixed(2)}× wall, ${(plain.insertPerCpuSec / f.insertPerCpuSec).toFixed(2)}× CPU; open ${(f.openMs / plain.openMs).toFixed(2)}×`;
  console.log(`${label.padEnd(24)} insert ${fmt(f.insertPerSec)} events/s (${fmt(f.insertPerCpuSec)} per CPU-s)  open+first read+count ${fmt(f.openMs)} ms  file ${f.fileMb.toFixed(1)} MB${ratios}`);
}
console.log('target: each ratio ≤ 1.30×');
