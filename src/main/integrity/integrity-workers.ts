import { availableParallelism } from 'node:os';
import type { SignatureCheck } from '../../shared/api/device-channels';
import type { DeviceRegistry } from '../device/device-registry';
import type { ChainWorkerInput, ChainWorkerResult } from './chain-worker-protocol';
import { runIntegrityWorker, type WorkerRun } from './chain-worker-client';
import { createSignatureTally } from './signature-tally';

/*
 * The integrity check's threads: one walks the chains (ledger-file-check.ts), and when
 * signatures are asked for, `signatureWorkers` more (default: one per core) each check the
 * signatures of a share of the table's rows. Every thread has its own read-only connection.
 * Progress is one figure over all of them, weighted by what each part costs; a cancel ends
 * every thread, and a thread that fails ends the others.
 */
export type IntegrityWorkersResult = { chains: ChainWorkerResult; signatures: SignatureCheck | null };

// Checking an event's signature costs about 4x hashing and linking it (measured: 150 µs
// against 40 µs per event), so the signature shares weigh that much more in the progress.
const SIGNATURE_WEIGHT = 4;

export function runIntegrityWorkers(
  chains: ChainWorkerInput,
  signatures: { registry: DeviceRegistry; workers?: number } | null,
  onProgress: (done: number, total: number) => void,
): WorkerRun<IntegrityWorkersResult> {
  const count = signatures ? Math.max(1, Math.floor(signatures.workers ?? availableParallelism())) : 0;
  const shares = Array.from({ length: count }, (_, share) => ({ share, shares: count }));
  let chainTotal: number | null = null;
  let chainDone = 0;
  const signatureProgress = shares.map(() => ({ done: 0, total: 0 }));
  let reported = 0;
  const report = () => {
    if (chainTotal === null) return;
    const sigTotal = signatureProgress.reduce((sum, p) => sum + p.total, 0);
    const sigDone = signatureProgress.reduce((sum, p) => sum + p.done, 0);
    const chainPart = chainTotal === 0 ? 1 : chainDone / chainTotal;
    const fraction = shares.length === 0 ? chainPart : (chainPart + SIGNATURE_WEIGHT * (sigTotal === 0 ? 0 : sigDone / sigTotal)) / (1 + SIGNATURE_WEIGHT);
    // Never backwards: a share that reports its size late lowers the fraction for a moment.
    reported = Math.max(reported, Math.min(chainTotal, Math.floor(fraction * chainTotal)));
    onProgress(reported, chainTotal);
  };

  const chainRun = runIntegrityWorker<ChainWorkerResult>({ job: 'chains', ...chains }, (done, total) => {
    chainDone = done;
    chainTotal = total;
    report();
  });
  const signatureRuns = shares.map((share, i) =>
    runIntegrityWorker<SignatureCheck>(
      { job: 'signatures', ...chains, ...share, registry: { records: [...(signatures?.registry.records ?? [])], root: signatures?.registry.root ?? null } },
      (done, total) => {
        signatureProgress[i] = { done, total };
        report();
      },
    ),
  );
  const runs: Array<WorkerRun<unknown>> = [chainRun, ...signatureRuns];
  const cancel = () => {
    for (const run of runs) run.cancel();
  };
  const result = (async (): Promise<IntegrityWorkersResult> => {
    try {
      const [chainResult, parts] = await Promise.all([chainRun.result, Promise.all(signatureRuns.map((r) => r.result))]);
      if (!signatures) return { chains: chainResult, signatures: null };
      const tally = createSignatureTally();
      for (const part of parts) tally.merge(part);
      return { chains: chainResult, signatures: tally.result() };
    } catch (error) {
      cancel();
      throw error;
    }
  })();
  return { result, cancel };
}
