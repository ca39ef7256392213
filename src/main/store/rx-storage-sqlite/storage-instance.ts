import type Database from 'better-sqlite3-multiple-ciphers';
import { Subject, type Observable } from 'rxjs';
import {
  categorizeBulkWriteRows,
  ensureNotFalsy,
  getPrimaryFieldOfPrimaryKey,
  getQueryMatcher,
  getSortComparator,
  now,
} from 'rxdb';
import type {
  BulkWriteRow,
  EventBulk,
  PreparedQuery,
  RxDocumentData,
  RxJsonSchema,
  RxStorage,
  RxStorageBulkWriteResponse,
  RxStorageChangeEvent,
  RxStorageCountResult,
  RxStorageDefaultCheckpoint,
  RxStorageInstance,
  RxStorageQueryResult,
} from 'rxdb';
import { type DatabaseFile, META_TABLE, noteCommitted, quoteIdent, readOnlyRefusal, releaseDatabaseFile } from './database-file';
import { createIndexKeyEncoder, createPrimaryKeyWriter, type IndexKeyEncoder, PRIMARY_KEY_CEILING, primaryKeyBytes } from './index-key';
import { fullScanSql, rangeCountSql, rangeSelectSql, spansWholeTable, type RangeSpec, type SortDirection } from './range-sql';
import { StoreError, translateSqliteError } from './store-error';
import { keyColumnIndexes } from './table-setup';
import { cipherPragmas } from './sqlite-driver';

export type SQLiteCheckpoint = RxStorageDefaultCheckpoint;
// `cipherPragmas`: what another connection to the file (a reader in a worker) must run first.
// `file` is undefined when no other connection may open it: after a read-only start the one
// connection holds it exclusively (database-file.ts), so readers stay on this connection.
export type SQLiteInternals = { readonly file: string | undefined; readonly table: string; readonly cipherPragmas: readonly string[] };
export type SQLiteInstanceOptions = Record<string, never>;
type ChangeBulk<RxDocType> = EventBulk<RxStorageChangeEvent<RxDocumentData<RxDocType>>, SQLiteCheckpoint>;

type KeyColumn<RxDocType> = { name: string; encoder: IndexKeyEncoder<RxDocType> };
type Categorized<RxDocType> = ReturnType<typeof categorizeBulkWriteRows<RxDocType>>;

// Rows read from SQLite, per instance: lets tests prove that indexed queries do not scan the table.
export type SQLiteInstanceStats = { rowsRead: number };
export type CheckpointingState = { background: boolean; runs: number; lost: string | undefined; autocheckpointPages: number };

const CLEANUP_BATCH = 1000;

/*
 * RxDB's ChangeEventBuffer files each event bulk (holding every written document) as a task
 * that a setTimeout(0) drains. A caller that awaits writes back to back never lets timers run,
 * so without a macrotask turn per write, an import of a million documents keeps them all alive.
 * One setImmediate per bulkWrite is microseconds against a transaction with an fsync.
 */
function afterMacrotask<T>(value: T): Promise<T> {
  return new Promise((resolve) => setImmediate(() => resolve(value)));
}

export class RxStorageInstanceSQLite<RxDocType>
implements RxStorageInstance<RxDocType, SQLiteInternals, SQLiteInstanceOptions, SQLiteCheckpoint> {
  readonly primaryPath: string;
  readonly internals: SQLiteInternals;
  readonly stats: SQLiteInstanceStats = { rowsRead: 0 };
  private closed = false;
  private readonly columns: KeyColumn<RxDocType>[];
  private readonly columnsByIndex = new Map<string, KeyColumn<RxDocType>>();
  private readonly changes$: Subject<ChangeBulk<RxDocType>>;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly insertRow: Database.Statement;
  private readonly upsertRow: Database.Statement;
  private readonly lwtColumn: KeyColumn<RxDocType>;
  // Renders bounds of RxDB's [_deleted, id] index, which the primary key serves.
  private readonly primaryIndex: IndexKeyEncoder<RxDocType>;

  constructor(
    readonly storage: RxStorage<SQLiteInternals, SQLiteInstanceOptions>,
    readonly databaseName: string,
    readonly collectionName: string,
    readonly schema: Readonly<RxJsonSchema<RxDocumentData<RxDocType>>>,
    readonly options: Readonly<SQLiteInstanceOptions>,
    private readonly file: DatabaseFile,
    readonly tableName: string,
  ) {
    this.primaryPath = getPrimaryFieldOfPrimaryKey(schema.primaryKey);
    this.internals = { file: file.options.readOnly === undefined ? file.path : undefined, table: tableName, cipherPragmas: file.options.cipherKey ? cipherPragmas(file.options.cipherKey, file.options.cipherScheme) : [] };
    this.columns = keyColumnIndexes(schema).map((fields, i) => ({ name: `k${i}`, encoder: createIndexKeyEncoder(schema, fields) }));
    this.primaryIndex = createIndexKeyEncoder(schema, ['_deleted', this.primaryPath]);
    for (const column of this.columns) {
      this.columnsByIndex.set(column.encoder.fields.join(','), column);
    }
    // RxDB adds this index to every schema; getChangedDocumentsSince() walks it.
    this.lwtColumn = ensureNotFalsy(this.columnsByIndex.get(['_meta.lwt', this.primaryPath].join(',')), 'lwt index missing');
    this.changes$ = channelFor<RxDocType>(file, tableName);
    const keyNames = this.columns.map((c) => quoteIdent(c.name));
    const table = quoteIdent(tableName);
    // Inserts and updates take the same flat parameter list; categorizeBulkWriteRows has already
    // decided, inside the same transaction, which rows are new (a plain INSERT is the cheaper path).
    const insertSql = `INSERT INTO ${table} (id, deleted, lwt, data${keyNames.map((k) => `, ${k}`).join('')}) VALUES (?, ?, ?, ?${keyNames.map(() => ', ?').join('')})`;
    this.insertRow = file.db.prepare(insertSql);
    this.upsertRow = file.db.prepare(
      `${insertSql} ON CONFLICT(id) DO UPDATE SET deleted = excluded.deleted, lwt = excluded.lwt, data = excluded.data${keyNames.map((k) => `, ${k} = excluded.${k}`).join('')}`,
    );
  }

  private statement(sql: string, pluck: boolean): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.file.db.prepare(sql);
      if (pluck) {
        statement.pluck(true);
      }
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private ensureOpen(method: string): void {
    if (this.closed) {
      throw new StoreError('STORE_CLOSED', `${method}() on closed storage instance ${this.databaseName}/${this.tableName}`);
    }
  }

  // Every SQLite call goes through here so late-detected damage surfaces with the STORE_CORRUPT code.
  private guarded<T>(method: string, work: () => T): Promise<T> {
    try {
      this.ensureOpen(method);
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(translateSqliteError(error, this.file.path, this.file.options.readOnly));
    }
  }

  private idOf(doc: RxDocumentData<RxDocType>): string {
    return (doc as Record<string, unknown>)[this.primaryPath] as string;
  }

  // Reused for every row: run() binds (and copies) the values before it returns.
  private readonly params: (string | number | Buffer)[] = [];
  private readonly primaryKeyView = createPrimaryKeyWriter();

  private writeDoc(statement: Database.Statement, doc: RxDocumentData<RxDocType>): void {
    const params = this.params;
    params[0] = this.primaryKeyView(this.idOf(doc));
    params[1] = doc._deleted ? 1 : 0;
    params[2] = doc._meta.lwt;
    params[3] = JSON.stringify(doc);
    let i = 4;
    for (const column of this.columns) {
      params[i++] = column.encoder.keyView(doc);
    }
    statement.run(params);
  }

  // Row by row, for the one read that may stop early (a page matched in JavaScript).
  private *readDocs(statement: Database.Statement, params: readonly unknown[]): Generator<RxDocumentData<RxDocType>> {
    for (const data of statement.iterate(...params)) {
      this.stats.rowsRead++;
      yield JSON.parse(data as string) as RxDocumentData<RxDocType>;
    }
  }

  // Every row a statement returns: one call into SQLite for the lot, not one per row as
  // iterate() makes (a third faster for whole pages). For reads that never stop early.
  // Each text is parsed in place, so it can be collected as soon as its document exists.
  private readAll(statement: Database.Statement, params: readonly unknown[]): RxDocumentData<RxDocType>[] {
    const rows = statement.all(...params) as unknown[];
    this.stats.rowsRead += rows.length;
    for (let i = 0; i < rows.length; i++) rows[i] = JSON.parse(rows[i] as string);
    return rows as RxDocumentData<RxDocType>[];
  }

  bulkWrite(documentWrites: BulkWriteRow<RxDocType>[], context: string): Promise<RxStorageBulkWriteResponse<RxDocType>> {
    return this.guarded('bulkWrite', () => {
      const refusal = readOnlyRefusal(this.file);
      if (refusal) return this.answerWithoutWriting(documentWrites, context, refusal);
      // Read, conflict check and write in ONE immediate transaction: a batch lands whole or not at all.
      const categorized = (documentWrites.every((row) => !row.previous) && this.tryInsertAll(documentWrites, context))
        || this.file.db.transaction(() => this.categorizeAndWrite(documentWrites, context)).immediate();
      noteCommitted(this.file, categorized.bulkInsertDocs.length + categorized.bulkUpdateDocs.length);
      if (categorized.eventBulk.events.length > 0) {
        const newest = ensureNotFalsy(categorized.newestRow).document;
        const bulk: ChangeBulk<RxDocType> = {
          ...categorized.eventBulk,
          checkpoint: { id: this.idOf(newest), lwt: newest._meta.lwt },
        };
        this.changes$.next(bulk);
      }
      return { error: categorized.errors };
    }).then(afterMacrotask);
  }

  /*
   * After a read-only start: RxDB's own start-up writes that change nothing (a document it
   * inserts only if missing, which is there) get their conflicts as usual; any batch that
   * would change a row is refused whole, before SQLite is asked.
   */
  private answerWithoutWriting(documentWrites: BulkWriteRow<RxDocType>[], context: string, refusal: StoreError): RxStorageBulkWriteResponse<RxDocType> {
    const categorized = this.categorize(documentWrites, context);
    if (categorized.bulkInsertDocs.length > 0 || categorized.bulkUpdateDocs.length > 0) throw refusal;
    return { error: categorized.errors };
  }

  private categorize(documentWrites: BulkWriteRow<RxDocType>[], context: string): Categorized<RxDocType> {
    const byIds = this.statement(`SELECT data FROM ${quoteIdent(this.tableName)} WHERE id IN (SELECT unhex(value) FROM json_each(?))`, true);
    const ids = documentWrites.map((row) => this.idOf(row.document));
    const docsInDb = new Map<string, RxDocumentData<RxDocType>>();
    for (const doc of this.readAll(byIds, [hexKeys(ids)])) {
      docsInDb.set(this.idOf(doc), doc);
    }
    return categorizeBulkWriteRows<RxDocType>(this, this.primaryPath as never, docsInDb, documentWrites, context);
  }

  private categorizeAndWrite(documentWrites: BulkWriteRow<RxDocType>[], context: string): Categorized<RxDocType> {
    const categorized = this.categorize(documentWrites, context);
    for (const row of categorized.bulkInsertDocs) {
      this.writeDoc(this.insertRow, row.document);
    }
    for (const row of categorized.bulkUpdateDocs) {
      this.writeDoc(this.upsertRow, row.document);
    }
    return categorized;
  }

  /*
   * Imports and the ledger write batches of new documents. Reading them first to find conflicts
   * (there almost never are any) costs a lookup and garbage per row, so try the plain INSERTs
   * straight away: when an id is already taken, the transaction rolls back and the batch takes
   * the general path above, which reports that row's conflict exactly as categorizeBulkWriteRows
   * does. Either way the batch is one transaction.
   */
  private tryInsertAll(documentWrites: BulkWriteRow<RxDocType>[], context: string): Categorized<RxDocType> | undefined {
    try {
      return this.file.db.transaction(() => {
        for (const row of documentWrites) {
          this.writeDoc(this.insertRow, row.document);
        }
        // Nothing was in the database: categorizing against an empty map yields the events and the newest row.
        return categorizeBulkWriteRows<RxDocType>(this, this.primaryPath as never, new Map(), documentWrites, context);
      }).immediate();
    } catch (error) {
      if (isPrimaryKeyConflict(error)) {
        return undefined;
      }
      throw error;
    }
  }

  findDocumentsById(ids: string[], withDeleted: boolean): Promise<RxDocumentData<RxDocType>[]> {
    return this.guarded('findDocumentsById', () => {
      const sql = `SELECT data FROM ${quoteIdent(this.tableName)} WHERE id IN (SELECT unhex(value) FROM json_each(?))${withDeleted ? '' : ' AND deleted = 0'}`;
      return this.readAll(this.statement(sql, true), [hexKeys(ids)]);
    });
  }

  private rangeFor(prepared: PreparedQuery<RxDocType>): { spec: RangeSpec; bounds: [Buffer, Buffer] } | undefined {
    const plan = prepared.queryPlan;
    if (plan.index.join(',') === this.primaryIndex.fields.join(',')) {
      return this.primaryRange(plan);
    }
    const column = this.columnsByIndex.get(plan.index.join(','));
    if (!column) {
      return undefined;
    }
    return {
      spec: { table: this.tableName, column: column.name, inclusiveStart: plan.inclusiveStart, inclusiveEnd: plan.inclusiveEnd },
      bounds: [column.encoder.lowerBound(plan.startKeys), column.encoder.upperBound(plan.endKeys)],
    };
  }

  /*
   * [_deleted, id] as the primary key with a flag filter. The bounds come from the same encoder
   * as any index (one byte for the flag, then the bare id encoding); primary keys extend the bare
   * encoding by two bytes, hence the ceiling on inclusive ends and exclusive starts. A range
   * spanning both flag values has no single key order here: undefined lets the caller scan.
   */
  private primaryRange(plan: PreparedQuery<RxDocType>['queryPlan']): { spec: RangeSpec; bounds: [Buffer, Buffer] } | undefined {
    const low = this.primaryIndex.lowerBound(plan.startKeys);
    const high = this.primaryIndex.upperBound(plan.endKeys);
    if (low[0] !== high[0]) {
      return undefined;
    }
    const lowId = low.subarray(1);
    const highId = high.subarray(1);
    return {
      spec: { table: this.tableName, column: 'id', inclusiveStart: plan.inclusiveStart, inclusiveEnd: plan.inclusiveEnd, deleted: low[0] === 0x31 ? 1 : 0 },
      bounds: [
        plan.inclusiveStart ? lowId : Buffer.concat([lowId, PRIMARY_KEY_CEILING]),
        plan.inclusiveEnd ? Buffer.concat([highId, PRIMARY_KEY_CEILING]) : highId,
      ],
    };
  }

  query(prepared: PreparedQuery<RxDocType>): Promise<RxStorageQueryResult<RxDocType>> {
    return this.guarded('query', () => ({ documents: this.runQuery(prepared) }));
  }

  private runQuery(prepared: PreparedQuery<RxDocType>): RxDocumentData<RxDocType>[] {
    const { query, queryPlan } = prepared;
    const skip = query.skip ?? 0;
    const limit = typeof query.limit === 'number' ? query.limit : Infinity;
    if (limit <= 0) {
      return [];
    }
    const range = this.rangeFor(prepared);
    // A query naming an index the schema lacks cannot use SQLite's order: scan, match and sort in JS.
    const mustMatch = !range || !queryPlan.selectorSatisfiedByIndex;
    const mustSort = !range || !queryPlan.sortSatisfiedByIndex;
    if (range && !mustMatch && !mustSort) {
      // Without a page, no LIMIT -1 OFFSET 0: SQLite runs the plain range a third faster.
      if (skip === 0 && !Number.isFinite(limit)) {
        return this.readAll(this.statement(rangeSelectSql(range.spec, false), true), range.bounds);
      }
      const statement = this.statement(rangeSelectSql(range.spec, true), true);
      return this.readAll(statement, [...range.bounds, Number.isFinite(limit) ? limit : -1, skip]);
    }
    const matcher = getQueryMatcher(this.schema, query);
    const primaryOrder = mustSort ? this.primaryOrderFor(prepared, range !== undefined) : undefined;
    const useRange = range && !primaryOrder ? range : undefined;
    const statement = useRange
      ? this.statement(rangeSelectSql(useRange.spec, false), true)
      : this.statement(fullScanSql(this.tableName, primaryOrder), true);
    let rows: RxDocumentData<RxDocType>[] = [];
    const wanted = skip + limit;
    for (const doc of this.readDocs(statement, useRange ? useRange.bounds : [])) {
      if (matcher(doc)) {
        rows.push(doc);
        if (!mustSort && rows.length >= wanted) {
          break;
        }
      }
    }
    if (mustSort) {
      rows = rows.sort(getSortComparator(this.schema, query));
    }
    return rows.slice(skip, wanted);
  }

  /*
   * RxDB sorts by primary key unless told otherwise (find() with no selector lists a whole
   * collection that way). When the plan's range covers the whole table anyway, read rows in
   * primary-key order: the JS sort that still follows (SQLite orders TEXT as UTF-8, JavaScript
   * as UTF-16) then gets sorted input, which TimSort finishes in one pass instead of n log n.
   */
  private primaryOrderFor(prepared: PreparedQuery<RxDocType>, hasRange: boolean): SortDirection | undefined {
    const first = prepared.query.sort[0] as Record<string, 'asc' | 'desc'> | undefined;
    const direction = first?.[this.primaryPath];
    if (!direction || (hasRange && !spansWholeTable(prepared.queryPlan))) {
      return undefined;
    }
    return direction === 'desc' ? 'DESC' : 'ASC';
  }

  count(prepared: PreparedQuery<RxDocType>): Promise<RxStorageCountResult> {
    return this.guarded('count', () => {
      const range = this.rangeFor(prepared);
      if (range && prepared.queryPlan.selectorSatisfiedByIndex) {
        const count = this.statement(rangeCountSql(range.spec), true).get(...range.bounds) as number;
        return { count, mode: 'fast' };
      }
      const unpaged: PreparedQuery<RxDocType> = { ...prepared, query: { ...prepared.query, skip: 0 } };
      delete unpaged.query.limit;
      return { count: this.runQuery(unpaged).length, mode: 'fast' };
    });
  }

  // Diagnostics: who checkpoints this file's log (wal-checkpointer.ts), and how often it has.
  checkpointing(): CheckpointingState {
    const checkpointer = this.file.checkpointer;
    return {
      background: checkpointer?.running ?? false,
      runs: checkpointer?.stats.runs ?? 0,
      lost: this.file.checkpointerLost,
      autocheckpointPages: this.file.db.pragma('wal_autocheckpoint', { simple: true }) as number,
    };
  }

  // Test hook: the checkpoint thread dies the way a crashed thread would.
  killCheckpointerForTest(): Promise<void> {
    return this.file.checkpointer?.kill() ?? Promise.resolve();
  }

  // Test hook: a full disk, for real, without root: SQLite refuses to grow the file past
  // `extraPages` more pages with SQLITE_FULL, exactly as when the disk has no room left.
  fillDiskForTest(extraPages: number): void {
    const pages = Number(this.file.db.pragma('page_count', { simple: true }));
    this.file.db.pragma(`max_page_count = ${pages + extraPages}`);
  }

  // Debug hook: SQLite's own account of how a prepared RxDB query is executed.
  explainQuery(prepared: PreparedQuery<RxDocType>): string[] {
    this.ensureOpen('explainQuery');
    const range = this.rangeFor(prepared);
    const sql = range ? rangeSelectSql(range.spec, false) : fullScanSql(this.tableName);
    const rows = this.file.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(range ? range.bounds : [])) as { detail: string }[];
    return rows.map((row) => row.detail);
  }

  getChangedDocumentsSince(limit: number, checkpoint?: SQLiteCheckpoint): Promise<{ documents: RxDocumentData<RxDocType>[]; checkpoint: SQLiteCheckpoint }> {
    return this.guarded('getChangedDocumentsSince', () => {
      const table = quoteIdent(this.tableName);
      const column = quoteIdent(this.lwtColumn.name);
      const documents = checkpoint
        ? this.readAll(
          this.statement(`SELECT data FROM ${table} WHERE ${column} > ? ORDER BY ${column} LIMIT ?`, true),
          [this.lwtColumn.encoder.lowerBound([checkpoint.lwt, checkpoint.id]), limit],
        )
        : this.readAll(this.statement(`SELECT data FROM ${table} ORDER BY ${column} LIMIT ?`, true), [limit]);
      const last = documents[documents.length - 1];
      const next = last ? { id: this.idOf(last), lwt: last._meta.lwt } : (checkpoint ?? { id: '', lwt: 0 });
      return { documents, checkpoint: next };
    });
  }

  changeStream(): Observable<ChangeBulk<RxDocType>> {
    return this.changes$.asObservable();
  }

  // Purges in batches so a large purge never holds the event loop; RxDB calls again until true.
  cleanup(minimumDeletedTime: number): Promise<boolean> {
    return this.guarded('cleanup', () => {
      // Nothing is purged from a store opened read-only; RxDB is told the work is done.
      if (readOnlyRefusal(this.file)) return true;
      const table = quoteIdent(this.tableName);
      const result = this.statement(
        `DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE deleted = 1 AND lwt <= ? LIMIT ${CLEANUP_BATCH})`,
        false,
      ).run(now() - minimumDeletedTime);
      noteCommitted(this.file, result.changes);
      return result.changes < CLEANUP_BATCH;
    });
  }

  getAttachmentData(documentId: string, attachmentId: string): Promise<Blob> {
    return Promise.reject(new StoreError('STORE_NOT_SUPPORTED', `Attachments are not supported (${documentId}/${attachmentId}).`));
  }

  async remove(): Promise<void> {
    await this.guarded('remove', () => {
      const refusal = readOnlyRefusal(this.file);
      if (refusal) throw refusal;
      this.file.db.transaction(() => {
        this.file.db.exec(`DROP TABLE IF EXISTS ${quoteIdent(this.tableName)}`);
        this.file.db.prepare(`DELETE FROM ${quoteIdent(META_TABLE)} WHERE key = ?`).run(`table:${this.tableName}`);
      }).immediate();
    });
    await this.close();
  }

  close(): Promise<void> {
    if (this.closed) {
      return Promise.resolve();
    }
    this.closed = true;
    this.statements.clear();
    return releaseDatabaseFile(this.file);
  }
}

function isPrimaryKeyConflict(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error as { code: unknown }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

// Ids for `id IN (SELECT unhex(value) FROM json_each(?))`: JSON cannot carry the BLOB keys as such.
function hexKeys(ids: readonly string[]): string {
  return JSON.stringify(ids.map((id) => primaryKeyBytes(id).toString('hex')));
}

function channelFor<RxDocType>(file: DatabaseFile, table: string): Subject<ChangeBulk<RxDocType>> {
  let channel = file.channels.get(table);
  if (!channel) {
    channel = new Subject<unknown>();
    file.channels.set(table, channel);
  }
  // Every instance on one table shares the document type, so the channel's element type is known.
  return channel as unknown as Subject<ChangeBulk<RxDocType>>;
}
