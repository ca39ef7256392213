import type { SignatureCheck } from '../../shared/api/device-channels';
import type { ConsentEvent } from '../../shared/domain';
import type { DeviceRecord } from '../device/device-records';
import type { TrustRoot } from '../device/device-registry';
import type { ChainIntegrityReport } from './chain-tally';
import type { LedgerTable } from './ledger-table';

// The chains' job: where the ledger's table is and which key column orders it by
// (deviceId, seq, id), plus the kept links main has proven (they live in the audit log,
// which the worker does not read).
export type ChainWorkerInput = LedgerTable & {
  keptLinks: Record<string, ConsentEvent[]>;
  pageSize: number;
  maxIssues: number;
};

// A signatures job: share `share` of `shares` (the events whose rowid modulo `shares` is
// `share`), checked against the registry built in the worker from the same records and root as
// main's, so the verdicts are the registry's own.
export type SignatureWorkerInput = LedgerTable & {
  registry: { records: DeviceRecord[]; root: TrustRoot | null };
  share: number;
  shares: number;
};

export type IntegrityWorkerInput = ({ job: 'chains' } & ChainWorkerInput) | ({ job: 'signatures' } & SignatureWorkerInput);

export type ChainWorkerResult = Omit<ChainIntegrityReport, 'checkedAt' | 'durationMs'>;

export type WorkerMessage<R> = { type: 'progress'; done: number; total: number } | { type: 'done'; result: R } | { type: 'failed'; message: string };
export type ChainWorkerMessage = WorkerMessage<ChainWorkerResult>;
export type SignatureWorkerMessage = WorkerMessage<SignatureCheck>;
