import { quoteIdent } from './database-file';

// The SQL for one RxDB query plan: a range over one key column, always walked through its index.
export type RangeSpec = {
  table: string;
  column: string;
  inclusiveStart: boolean;
  inclusiveEnd: boolean;
};

function rangeWhere(spec: RangeSpec): string {
  const column = quoteIdent(spec.column);
  return `${column} ${spec.inclusiveStart ? '>=' : '>'} ? AND ${column} ${spec.inclusiveEnd ? '<=' : '<'} ?`;
}

export function rangeSelectSql(spec: RangeSpec, paged: boolean): string {
  const sql = `SELECT data FROM ${quoteIdent(spec.table)} WHERE ${rangeWhere(spec)} ORDER BY ${quoteIdent(spec.column)}`;
  return paged ? `${sql} LIMIT ? OFFSET ?` : sql;
}

export function rangeCountSql(spec: RangeSpec): string {
  return `SELECT count(*) FROM ${quoteIdent(spec.table)} WHERE ${rangeWhere(spec)}`;
}

export function fullScanSql(table: string): string {
  return `SELECT data FROM ${quoteIdent(table)}`;
}
