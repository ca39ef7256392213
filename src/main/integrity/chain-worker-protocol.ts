import type { ConsentEvent } from '../../shared/domain';
import type { ChainIntegrityReport } from './chain-tally';
import type { LedgerTable } from './ledger-table';

// What the integrity worker is given: where the ledger's table is and which key column
// orders it by (deviceId, seq, id), plus the kept links main has proven (they live in the
// audit log, which the worker does not read).
export type ChainWorkerInput = LedgerTable & {
  keptLinks: Record<string, ConsentEvent[]>;
  pageSize: number;
  maxIssues: number;
};

export type ChainWorkerMessage =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; report: Omit<ChainIntegrityReport, 'checkedAt' | 'durationMs'> }
  | { type: 'failed'; message: string };
