import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { syncDirectory } from '../secrets/database-key';
import { type CipherKey, type CipherScheme, openConnection, type SqliteDatabase, StoreError } from './rx-storage-sqlite';

/*
 * Turns a plain SQLite data file (from before encryption) into an encrypted one in place.
 * The cipher build has no sqlcipher_export, so the copy is done the way that function does it:
 * a new encrypted file, the plain one attached to it, every table's and index's CREATE statement
 * replayed and every row copied in one transaction. Row counts are compared before anything is
 * swapped; the swap is one rename over the old file, so a crash at any point leaves either the
 * whole plain store or the whole encrypted one (a half-written new file is deleted on the next
 * try). Only the plain file's own pages stay behind in free disk blocks, as with any deletion.
 */

export const MIGRATION_STEPS = ['started', 'copied', 'verified', 'swapped'] as const;
export type MigrationStep = (typeof MIGRATION_STEPS)[number];

export type MigrationResult = { tables: number; rows: number };

export const encryptingPath = (dbPath: string): string => `${dbPath}.encrypting`;

const SIDE_FILES = ['-journal', '-wal', '-shm'];

function removeWithSideFiles(path: string): void {
  for (const suffix of ['', ...SIDE_FILES]) rmSync(`${path}${suffix}`, { force: true });
}

function fsyncFile(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

type SchemaRow = { type: string; name: string; sql: string | null };

function countRows(db: SqliteDatabase, schema: string, tables: readonly string[]): Map<string, number> {
  return new Map(tables.map((t) => [t, (db.prepare(`SELECT count(*) AS n FROM ${schema}.${quote(t)}`).get() as { n: number }).n]));
}

function copyInto(encrypted: SqliteDatabase): MigrationResult {
  const schema = encrypted.prepare("SELECT type, name, sql FROM plain.sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type = 'table' DESC, rowid").all() as SchemaRow[];
  const tables = schema.filter((row) => row.type === 'table').map((row) => row.name);
  const userVersion = Number(encrypted.pragma('plain.user_version', { simple: true }));
  encrypted.transaction(() => {
    for (const row of schema.filter((r) => r.type === 'table')) encrypted.exec(row.sql ?? '');
    for (const table of tables) encrypted.exec(`INSERT INTO main.${quote(table)} SELECT * FROM plain.${quote(table)}`);
    // Indexes after the rows: one sorted build each instead of a b-tree grown row by row.
    for (const row of schema.filter((r) => r.type !== 'table')) encrypted.exec(row.sql ?? '');
  })();
  encrypted.pragma(`user_version = ${userVersion}`);
  const before = countRows(encrypted, 'plain', tables);
  const after = countRows(encrypted, 'main', tables);
  let rows = 0;
  for (const [table, n] of before) {
    if (after.get(table) !== n) {
      throw new StoreError('STORE_CORRUPT', `Encrypting the data file: table ${table} has ${after.get(table) ?? 0} rows in the copy, ${n} in the original. The original was left as it was.`);
    }
    rows += n;
  }
  return { tables: tables.length, rows };
}

// The caller holds the process lock and has checked that `dbPath` starts with the plain SQLite header.
export function migratePlainStore(dbPath: string, key: CipherKey, scheme: CipherScheme, onStep: (step: MigrationStep) => void = () => {}): MigrationResult {
  const target = encryptingPath(dbPath);
  removeWithSideFiles(target);
  onStep('started');
  // Fold the plain file's log into it first, so the file alone holds every committed row.
  const plain = openConnection(dbPath, { timeoutMs: 2000, fileMustExist: true, key: undefined });
  try {
    plain.pragma('wal_checkpoint(TRUNCATE)');
    plain.pragma('journal_mode = DELETE');
  } finally {
    plain.close();
  }
  const encrypted = openConnection(target, { timeoutMs: 2000, key, scheme });
  let result: MigrationResult;
  try {
    // An empty key attaches the file as plain SQLite.
    encrypted.prepare("ATTACH DATABASE ? AS plain KEY ''").run(dbPath);
    result = copyInto(encrypted);
    onStep('copied');
    encrypted.exec('DETACH DATABASE plain');
  } catch (error) {
    encrypted.close();
    removeWithSideFiles(target);
    throw error;
  } finally {
    if (encrypted.open) encrypted.close();
  }
  fsyncFile(target);
  onStep('verified');
  // The plain file is in rollback-journal mode with no journal now; stale side files of it must
  // not be read as belonging to the encrypted file.
  for (const suffix of SIDE_FILES) rmSync(`${dbPath}${suffix}`, { force: true });
  renameSync(target, dbPath);
  syncDirectory(dirname(dbPath));
  onStep('swapped');
  return result;
}

// A new encrypted file left by a migration or first start that did not finish.
export function hasLeftoverEncryptingFile(dbPath: string): boolean {
  const target = encryptingPath(dbPath);
  return existsSync(target) && statSync(target).size > 0;
}

export function removeLeftoverEncryptingFile(dbPath: string): void {
  removeWithSideFiles(encryptingPath(dbPath));
}
