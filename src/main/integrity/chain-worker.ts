import { parentPort, workerData } from 'node:worker_threads';
import type { IntegrityWorkerInput, WorkerMessage } from './chain-worker-protocol';
import { verifyLedgerFile } from './ledger-file-check';
import { scanLedgerSignatures } from './ledger-signature-scan';
import { lowerThreadPriority } from './thread-priority';

// Entry of the integrity worker threads (built as its own file, see electron.vite.config.ts):
// one bundle for both jobs, the chains and a share of the signatures. A thread answers once,
// with its result or why it failed; cancel is the thread's end.
const post = (message: WorkerMessage<unknown>) => parentPort?.postMessage(message);
const input = workerData as IntegrityWorkerInput;
lowerThreadPriority();

// Through a promise, so an error thrown at once (the file cannot be opened) is answered too.
Promise.resolve()
  .then(() => (input.job === 'signatures' ? scanLedgerSignatures(input, post) : verifyLedgerFile(input, post)))
  .catch((error: unknown) => {
    post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  });
