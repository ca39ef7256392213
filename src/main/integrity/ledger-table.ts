import type { RxDocumentData, RxJsonSchema } from 'rxdb';
import type { ConsentEvent } from '../../shared/domain';
import type { AppDatabase } from '../store/database';
import { keyColumnIndexes } from '../store/rx-storage-sqlite/table-setup';

// Where the ledger lives in the SQLite file, for a reader on its own connection: the file,
// the table, and the key column of the (deviceId, seq) index with its fields and schema.
// `cipherPragmas` unlock an encrypted file (empty for a plain one).
export type LedgerTable = {
  path: string;
  cipherPragmas: string[];
  table: string;
  column: string;
  fields: string[];
  schema: RxJsonSchema<RxDocumentData<ConsentEvent>>;
};

export function ledgerTable(db: AppDatabase): LedgerTable | null {
  const instance = db.consent_events.storageInstance;
  const internals = instance.internals as { file?: unknown; table?: unknown; cipherPragmas?: unknown } | undefined;
  if (typeof internals?.file !== 'string' || typeof internals.table !== 'string') return null;
  const schema = instance.schema;
  const indexes = keyColumnIndexes(schema);
  const at = indexes.findIndex((fields) => {
    const named = fields.filter((f) => f !== '_deleted');
    return named[0] === 'deviceId' && named[1] === 'seq';
  });
  const fields = indexes[at];
  if (!fields) return null;
  const pragmas = Array.isArray(internals.cipherPragmas) ? internals.cipherPragmas.filter((p): p is string => typeof p === 'string') : [];
  return { path: internals.file, cipherPragmas: pragmas, table: internals.table, column: `k${at}`, fields, schema };
}
