import { join } from 'node:path';
import { rmSync } from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, describe, expect, it } from 'vitest';
import { META_TABLE, quoteIdent } from '../../../src/main/store/rx-storage-sqlite/database-file';
import { moveRowsToFewerIndexes } from '../../../src/main/store/rx-storage-sqlite/table-move';
import { ensureCollectionTable } from '../../../src/main/store/rx-storage-sqlite/table-setup';
import { makeTempDir } from '../../helpers/temp-app';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const OLD_INDEXES = [['_deleted', 'name', 'id'], ['_meta.lwt', 'id'], ['_deleted', 'phone', 'id']];

// A table laid out as the storage lays it out, with rows whose key columns say which index they belong to.
function tableWithRows(): Database.Database {
  const dir = makeTempDir('cd-table-move-');
  dirs.push(dir);
  const db = new Database(join(dir, 'move.sqlite'));
  db.exec(`CREATE TABLE ${quoteIdent(META_TABLE)} (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)`);
  ensureCollectionTable(db, 'people-0', OLD_INDEXES);
  const insert = db.prepare('INSERT INTO "people-0" (id, deleted, lwt, data, k0, k1, k2) VALUES (?, 0, ?, ?, ?, ?, ?)');
  for (let i = 0; i < 5; i++) {
    insert.run(Buffer.from(`id${i}`), 100 + i, JSON.stringify({ id: `id${i}` }), Buffer.from(`name${i}`), Buffer.from(`lwt${i}`), Buffer.from(`phone${i}`));
  }
  return db;
}

const tables = (db: Database.Database) => db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck(true).all();

describe('moving rows to a schema version with fewer indexes', () => {
  it('carries every row and the key columns of the indexes kept, and drops the old table', () => {
    const db = tableWithRows();
    expect(moveRowsToFewerIndexes(db, 'people-0', 'people-1', [['_meta.lwt', 'id']])).toBe(true);
    expect(tables(db)).toEqual([META_TABLE, 'people-1']);
    const rows = db.prepare('SELECT id, lwt, data, k0 FROM "people-1" ORDER BY lwt').all() as { id: Buffer; lwt: number; data: string; k0: Buffer }[];
    expect(rows.map((r) => [r.id.toString(), r.lwt, r.data, r.k0.toString()])).toEqual(
      [0, 1, 2, 3, 4].map((i) => [`id${i}`, 100 + i, JSON.stringify({ id: `id${i}` }), `lwt${i}`]),
    );
    // The new table's own index was built over the moved rows.
    expect(db.prepare('SELECT id FROM "people-1" INDEXED BY "people-1__k0" WHERE k0 = ?').pluck(true).get(Buffer.from('lwt3'))).toEqual(Buffer.from('id3'));
    expect(db.prepare(`SELECT key FROM ${quoteIdent(META_TABLE)} ORDER BY key`).pluck(true).all()).toEqual(['table:people-1']);
    db.close();
  });

  it('changes nothing when the new version asks for an index the old table does not have', () => {
    const db = tableWithRows();
    expect(moveRowsToFewerIndexes(db, 'people-0', 'people-1', [['_meta.lwt', 'id'], ['_deleted', 'email', 'id']])).toBe(false);
    expect(tables(db)).toEqual([META_TABLE, 'people-0']);
    expect(db.prepare('SELECT count(*) FROM "people-0"').pluck(true).get()).toBe(5);
    db.close();
  });

  it('changes nothing when the new table already holds rows, or the old one is not there', () => {
    const db = tableWithRows();
    ensureCollectionTable(db, 'people-1', [['_meta.lwt', 'id']]);
    db.prepare('INSERT INTO "people-1" (id, deleted, lwt, data, k0) VALUES (?, 0, 1, ?, ?)').run(Buffer.from('other'), '{}', Buffer.from('x'));
    expect(moveRowsToFewerIndexes(db, 'people-0', 'people-1', [['_meta.lwt', 'id']])).toBe(false);
    expect(db.prepare('SELECT count(*) FROM "people-0"').pluck(true).get()).toBe(5);
    expect(db.prepare('SELECT count(*) FROM "people-1"').pluck(true).get()).toBe(1);
    expect(moveRowsToFewerIndexes(db, 'people-7', 'people-8', [['_meta.lwt', 'id']])).toBe(false);
    db.close();
  });
});
