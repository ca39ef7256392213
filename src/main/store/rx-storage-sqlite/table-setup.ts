import type Database from 'better-sqlite3-multiple-ciphers';
import { getPrimaryFieldOfPrimaryKey, type RxDocumentData, type RxJsonSchema } from 'rxdb';
import { META_TABLE, quoteIdent } from './database-file';
import { StoreError } from './store-error';

// One table per collection and schema version; one key column + SQLite index per RxDB index,
// except [_deleted, id], which the primary key (the encoded id, see primaryKeyBytes) serves.
// `readOnly` (why the store takes no writes): the table must already be there as asked.
export function ensureCollectionTable(db: Database.Database, table: string, indexes: readonly (readonly string[])[], readOnly?: string): void {
  const signature = JSON.stringify(indexes);
  const metaKey = `table:${table}`;
  const metaTable = quoteIdent(META_TABLE);
  const setUp = () => {
    const stored = db.prepare(`SELECT value FROM ${metaTable} WHERE key = ?`).pluck(true).get(metaKey) as string | undefined;
    if (stored === undefined && readOnly !== undefined) {
      throw new StoreError('STORE_READ_ONLY', `${readOnly} (This version of Consent Desk must first add table ${table} to the data file.)`);
    }
    if (stored !== undefined) {
      if (stored !== signature) {
        throw new StoreError(
          'STORE_SCHEMA_MISMATCH',
          `Table ${table} was created with indexes ${stored}, but the schema now asks for ${signature}; bump the schema version.`,
        );
      }
      return;
    }
    const quoted = quoteIdent(table);
    const keyColumns = indexes.map((_, i) => `, k${i} BLOB NOT NULL`).join('');
    db.exec(`CREATE TABLE IF NOT EXISTS ${quoted} (id BLOB PRIMARY KEY NOT NULL, deleted INTEGER NOT NULL, lwt REAL NOT NULL, data TEXT NOT NULL${keyColumns})`);
    indexes.forEach((_, i) => {
      db.exec(`CREATE INDEX IF NOT EXISTS ${quoteIdent(`${table}__k${i}`)} ON ${quoted} (k${i})`);
    });
    // Partial index: tombstones are few, and cleanup() only ever looks for them.
    db.exec(`CREATE INDEX IF NOT EXISTS ${quoteIdent(`${table}__tombstones`)} ON ${quoted} (lwt) WHERE deleted = 1`);
    db.prepare(`INSERT INTO ${metaTable} (key, value) VALUES (?, ?)`).run(metaKey, signature);
  };
  if (readOnly !== undefined) setUp();
  else db.transaction(setUp).immediate();
}

// The RxDB indexes that get a key column; [_deleted, <primary key>] is the primary key itself.
export function keyColumnIndexes<RxDocType>(schema: Readonly<RxJsonSchema<RxDocumentData<RxDocType>>>): string[][] {
  const primaryIndex = ['_deleted', getPrimaryFieldOfPrimaryKey(schema.primaryKey)].join(',');
  return (schema.indexes ?? [])
    .map((index) => (typeof index === 'string' ? [index] : [...index]))
    .filter((fields) => fields.join(',') !== primaryIndex);
}
