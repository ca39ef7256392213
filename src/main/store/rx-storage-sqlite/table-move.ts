import type Database from 'better-sqlite3-multiple-ciphers';
import { META_TABLE, quoteIdent } from './database-file';
import { ensureCollectionTable } from './table-setup';

/*
 * A schema version that keeps the documents as they are and only drops indexes needs no
 * document-by-document migration: every row of the old table, key columns included, is
 * already right for the new one. RxDB's migration replays each document through its
 * replication protocol (about 70 µs a document here, 7 s for 100,000 contacts at start-up);
 * one INSERT … SELECT moves them in a fraction of that.
 *
 * Moves the rows of `from` into a new table `to` whose indexes are each one of `from`'s, and
 * drops `from`, in one transaction: after a crash either both tables are as they were or the
 * move is complete. Returns false (changing nothing) when that does not hold: `from` missing,
 * `to` already there with rows or with other indexes, or an index of `to` that `from` lacks.
 */
export function moveRowsToFewerIndexes(db: Database.Database, from: string, to: string, toIndexes: readonly (readonly string[])[]): boolean {
  const metaTable = quoteIdent(META_TABLE);
  const signatureOf = (table: string) =>
    db.prepare(`SELECT value FROM ${metaTable} WHERE key = ?`).pluck(true).get(`table:${table}`) as string | undefined;
  return db.transaction(() => {
    const fromSignature = signatureOf(from);
    if (fromSignature === undefined) return false;
    const fromIndexes = (JSON.parse(fromSignature) as string[][]).map((fields) => JSON.stringify(fields));
    const sourceColumns = toIndexes.map((fields) => fromIndexes.indexOf(JSON.stringify(fields)));
    if (sourceColumns.some((column) => column < 0)) return false;
    const toSignature = signatureOf(to);
    if (toSignature !== undefined) {
      if (toSignature !== JSON.stringify(toIndexes)) return false;
      const taken = db.prepare(`SELECT 1 FROM ${quoteIdent(to)} LIMIT 1`).get();
      if (taken) return false;
    }
    ensureCollectionTable(db, to, toIndexes);
    const keyColumns = (names: readonly string[]) => names.map((name) => `, ${name}`).join('');
    db.exec(
      `INSERT INTO ${quoteIdent(to)} (id, deleted, lwt, data${keyColumns(toIndexes.map((_, i) => `k${i}`))}) `
      + `SELECT id, deleted, lwt, data${keyColumns(sourceColumns.map((column) => `k${column}`))} FROM ${quoteIdent(from)}`,
    );
    db.exec(`DROP TABLE ${quoteIdent(from)}`);
    db.prepare(`DELETE FROM ${metaTable} WHERE key = ?`).run(`table:${from}`);
    return true;
  }).immediate();
}
