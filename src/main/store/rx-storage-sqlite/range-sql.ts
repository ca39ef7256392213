import { INDEX_MAX, INDEX_MIN, type RxQueryPlan } from 'rxdb';
import { quoteIdent } from './database-file';

export type SortDirection = 'ASC' | 'DESC';

// The SQL for one RxDB query plan: a range over one key column, always walked through its index.
// `deleted` is set for the [_deleted, id] index, which is the primary key plus a flag filter.
export type RangeSpec = {
  table: string;
  column: string;
  inclusiveStart: boolean;
  inclusiveEnd: boolean;
  deleted?: 0 | 1;
};

function rangeWhere(spec: RangeSpec): string {
  const column = quoteIdent(spec.column);
  const flag = spec.deleted === undefined ? '' : `deleted = ${spec.deleted} AND `;
  return `${flag}${column} ${spec.inclusiveStart ? '>=' : '>'} ? AND ${column} ${spec.inclusiveEnd ? '<=' : '<'} ?`;
}

export function rangeSelectSql(spec: RangeSpec, paged: boolean): string {
  const sql = `SELECT data FROM ${quoteIdent(spec.table)} WHERE ${rangeWhere(spec)} ORDER BY ${quoteIdent(spec.column)}`;
  return paged ? `${sql} LIMIT ? OFFSET ?` : sql;
}

export function rangeCountSql(spec: RangeSpec): string {
  return `SELECT count(*) FROM ${quoteIdent(spec.table)} WHERE ${rangeWhere(spec)}`;
}

export function fullScanSql(table: string, primaryOrder?: SortDirection): string {
  return `SELECT data FROM ${quoteIdent(table)}${primaryOrder ? ` ORDER BY id ${primaryOrder}` : ''}`;
}

// True when a plan bounds nothing but (at most) the leading _deleted flag: its range is the whole table.
export function spansWholeTable(plan: RxQueryPlan): boolean {
  const open = (keys: readonly unknown[], sentinel: unknown) =>
    keys.every((key, i) => key === sentinel || (i === 0 && plan.index[0] === '_deleted'));
  return open(plan.startKeys, INDEX_MIN) && open(plan.endKeys, INDEX_MAX);
}
