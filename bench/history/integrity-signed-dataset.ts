import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3-multiple-ciphers';
import { openApp } from '../../src/main/app';
import { eventSignatureMessage } from '../../src/main/consent/event-hash';
import { deviceRecordMessage, recordAuditEntry, type DeviceRecord, type UnsignedDeviceRecord } from '../../src/main/device/device-records';
import { ledgerTable } from '../../src/main/integrity/ledger-table';
import { insertDocuments } from '../../src/main/store/insert-documents';
import { DATASET_DEVICES } from '../data/dataset-generator';
import { benchCacheDir, copyBenchDataset, type BenchDataset } from '../data/bench-dataset';

/*
 * The shared data set's events are unsigned and its devices unknown to any registry, so a
 * signature check over it would verify nothing (every event fails at once as unknown_device).
 * This makes, once, a cached copy where the data set's first device is the root of trust
 * (pinned), the other three are enrolled by it, and every event carries its device's Ed25519
 * signature of its hash, as the app writes them. The signature is outside the hash, so the
 * chains are untouched. Keys are made afresh for the copy; only their public halves are kept.
 */
const ROOT_PIN = 'device-trust:root';
const SIGN_PAGE = 5000;
const quiet = { info: () => {}, warn: () => {}, error: (m: string, ...r: unknown[]) => console.error(m, ...r) };

type BenchDevice = { deviceId: string; publicKey: string; privateKey: KeyObject };

const signWith = (key: KeyObject, message: string) => sign(null, Buffer.from(message, 'utf8'), key).toString('base64url');

export async function ensureSignedBenchDataset(dataset: BenchDataset, log: (line: string) => void = console.log): Promise<BenchDataset> {
  const dir = join(benchCacheDir(), `signed-${basename(dataset.dir)}`);
  if (existsSync(join(dir, 'data'))) return { ...dataset, dir, built: false };
  const started = performance.now();
  const building = `${dir}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  const dataDir = copyBenchDataset(dataset, join(building, 'data'));

  const devices: BenchDevice[] = DATASET_DEVICES.map((deviceId) => {
    const pair = generateKeyPairSync('ed25519');
    return { deviceId, publicKey: String(pair.publicKey.export({ format: 'jwk' }).x), privateKey: pair.privateKey };
  });
  const [root] = devices;
  if (!root) throw new Error('the data set has no devices');
  const at = new Date(Date.UTC(2025, 0, 1)).toISOString();
  const signer = { deviceId: root.deviceId, userId: dataset.manifest.adminUserId, userName: 'Admin' };
  const records: DeviceRecord[] = devices.map((d) => {
    const content: UnsignedDeviceRecord = { v: 1, kind: 'enrol', deviceId: d.deviceId, publicKey: d.publicKey, name: d.deviceId, legacyUpToSeq: 0, upToSeq: 0, at, signer };
    return { ...content, sig: signWith(root.privateKey, deviceRecordMessage(content)) };
  });

  const app = await openApp({ dataDir, log: quiet });
  const ledger = await (async () => {
    await app.services.ledger.settled();
    const table = ledgerTable(app.services.db);
    if (!table) throw new Error('the bench needs the SQLite storage');
    await app.services.db.local_meta.upsert({ id: ROOT_PIN, value: { deviceId: root.deviceId, publicKey: root.publicKey }, updatedAt: at });
    await insertDocuments(app.services.db.audit_log, records.map((r) => recordAuditEntry(r, root.deviceId)));
    return table;
  })().finally(() => app.close());

  const db = new Database(ledger.path, { fileMustExist: true });
  try {
    for (const pragma of ledger.cipherPragmas) db.pragma(pragma);
    const table = `"${ledger.table.replace(/"/g, '""')}"`;
    const keyOf = new Map(devices.map((d) => [d.deviceId, d.privateKey]));
    const page = db.prepare(`SELECT rowid AS r, data FROM ${table} WHERE rowid > ? ORDER BY rowid LIMIT ${SIGN_PAGE}`);
    const update = db.prepare(`UPDATE ${table} SET data = ? WHERE rowid = ?`);
    let after = 0;
    let signed = 0;
    for (;;) {
      const rows = page.all(after) as Array<{ r: number; data: string }>;
      if (rows.length === 0) break;
      db.transaction(() => {
        for (const { r, data } of rows) {
          const event = JSON.parse(data) as { deviceId: string; hash: string; sig?: string };
          const key = keyOf.get(event.deviceId);
          if (!key) throw new Error(`an event of ${event.deviceId}, not a data set device`);
          update.run(JSON.stringify({ ...event, sig: signWith(key, eventSignatureMessage(event.hash)) }), r);
          signed += 1;
        }
      })();
      after = rows[rows.length - 1]?.r ?? after;
      if (signed % 100_000 < SIGN_PAGE) log(`  signed ${signed.toLocaleString('en')} events`);
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  renameSync(building, dir);
  log(`signed copy of the data set built in ${((performance.now() - started) / 1000).toFixed(1)} s: ${dir}`);
  return { ...dataset, dir, built: true };
}
