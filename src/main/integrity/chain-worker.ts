import { parentPort, workerData } from 'node:worker_threads';
import type { ChainWorkerInput, ChainWorkerMessage } from './chain-worker-protocol';
import { verifyLedgerFile } from './ledger-file-check';

// Entry of the integrity worker thread (built as its own file, see electron.vite.config.ts).
// It answers once, with the chains' report or why it failed; cancel is the thread's end.
const post = (message: ChainWorkerMessage) => parentPort?.postMessage(message);

// Through a promise, so an error thrown at once (the file cannot be opened) is answered too.
Promise.resolve()
  .then(() => verifyLedgerFile(workerData as ChainWorkerInput, post))
  .catch((error: unknown) => {
  post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
});
