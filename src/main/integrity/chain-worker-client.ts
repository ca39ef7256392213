import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError } from '../app-error';
import type { IntegrityWorkerInput, WorkerMessage } from './chain-worker-protocol';

/*
 * Starts an integrity worker. In the built app it is its own bundle next to main's
 * (out/main/chain-worker.cjs, an entry in electron.vite.config.ts). Run from source (tests,
 * benches under tsx) there is no bundle: the thread registers tsx's require hook and loads
 * the TypeScript entry itself.
 */
function startWorker(workerData: IntegrityWorkerInput): Worker {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    const entry = join(dirname(here), 'chain-worker.ts');
    return new Worker(`require('tsx/cjs/api').register(); require(${JSON.stringify(entry)});`, { eval: true, workerData });
  }
  // The app's build makes CommonJS; a bundle made as an ES module (the sync tests' devices) ships .mjs.
  const bundle = ['chain-worker.cjs', 'chain-worker.mjs'].map((name) => join(dirname(here), name)).find((path) => existsSync(path));
  if (!bundle) throw new AppError('internal', `The integrity worker is missing from the build (${dirname(here)}).`);
  return new Worker(bundle, { workerData });
}

export type WorkerRun<R> = {
  result: Promise<R>;
  // Ends the thread at once: the check only reads, so nothing is left half done.
  cancel(): void;
};

export function runIntegrityWorker<R>(input: IntegrityWorkerInput, onProgress: (done: number, total: number) => void): WorkerRun<R> {
  const worker = startWorker(input);
  let cancelled = false;
  let settled = false;
  const result = new Promise<R>((resolve, reject) => {
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
      void worker.terminate();
    };
    worker.on('message', (message: WorkerMessage<R>) => {
      // Once cancelled, a verdict still in flight is not taken: cancel always ends in `cancelled`.
      if (cancelled) return;
      if (message.type === 'progress') {
        if (!settled) onProgress(message.done, message.total);
      } else if (message.type === 'done') finish(() => resolve(message.result));
      else finish(() => reject(new AppError('internal', `The integrity check failed: ${message.message}`)));
    });
    worker.on('error', (error) => finish(() => reject(new AppError('internal', `The integrity check failed: ${error.message}`))));
    worker.on('exit', () =>
      finish(() =>
        reject(cancelled ? new AppError('cancelled', 'The integrity check was cancelled.') : new AppError('internal', 'The integrity check stopped without a verdict.')),
      ),
    );
  });
  return {
    result,
    cancel() {
      cancelled = true;
      void worker.terminate();
    },
  };
}
