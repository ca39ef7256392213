import { createRequire as requireFrom } from 'node:module';
import { Worker } from 'node:worker_threads';
import { SQLITE_DRIVER_MODULE } from './sqlite-driver';

/*
 * SQLite in WAL mode appends every commit to the -wal file and, by default, the committing
 * connection copies the log back into the database once it passes 1000 pages (a checkpoint,
 * with an fsync of each file). Measured on these machines, that copy was half of SQLite's time
 * in a bulk insert (100k consent events: ~0.6 s of commits with checkpoints, ~0.18 s without),
 * paid on the main process's thread, inside whichever write crossed the threshold.
 *
 * A second connection in a worker thread does the checkpoints instead. SQLite lets a PASSIVE
 * checkpoint run beside a writer: it copies only committed frames and never blocks or is
 * blocked by the writer, and the writer starts the log over once everything is copied. The
 * main connection keeps a high auto-checkpoint as a backstop (a stalled worker cannot let
 * the log grow without bound), and falls back to SQLite's default if the worker is lost.
 * Durability is unchanged: commits go to the log exactly as before; a checkpoint only moves
 * committed pages, and a process killed in the middle of one is repaired by SQLite at the
 * next open like any interrupted checkpoint.
 */

// SQLite's default, used whenever no background checkpointer is running.
export const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;
// While the worker runs: ~32 MB of log at 4 KB pages before the main connection steps in.
export const BACKSTOP_AUTOCHECKPOINT_PAGES = 8192;

export type CheckpointerStats = { runs: number; framesCopied: number; busy: number };

type FromWorker =
  | { type: 'ready' }
  | { type: 'checkpointed'; busy: number; log: number; checkpointed: number }
  | { type: 'failed'; message: string };

/*
 * Runs in the worker, as plain JavaScript (eval'd, so no separate build entry is needed).
 * A 'written' message after each commit asks for a checkpoint; messages that arrive while
 * one runs are answered by a single next run.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let db;
try {
  db = new Database(workerData.path, { fileMustExist: true, timeout: workerData.busyTimeoutMs });
  for (const pragma of workerData.cipherPragmas) db.pragma(pragma);
  db.pragma('wal_autocheckpoint = 0');
} catch (error) {
  parentPort.postMessage({ type: 'failed', message: String(error) });
  process.exit(1);
}
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
let scheduled = false;
function run() {
  scheduled = false;
  try {
    const result = checkpoint.get();
    parentPort.postMessage({ type: 'checkpointed', busy: result.busy, log: result.log, checkpointed: result.checkpointed });
  } catch (error) {
    parentPort.postMessage({ type: 'failed', message: String(error) });
  }
}
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
  } else if (!scheduled) {
    scheduled = true;
    setImmediate(run);
  }
});
parentPort.postMessage({ type: 'ready' });
`;

// The worker loads the same driver the main connection uses, from wherever this module runs.
function driverPath(): string {
  return requireFrom(import.meta.url).resolve(SQLITE_DRIVER_MODULE);
}

export class WalCheckpointer {
  readonly stats: CheckpointerStats = { runs: 0, framesCopied: 0, busy: 0 };
  private readonly worker: Worker;
  private ready = false;
  private stopped = false;
  private readonly exited: Promise<void>;

  /*
   * onReady: the worker has its connection; the main connection may raise its auto-checkpoint.
   * onLost: the worker failed or exited on its own; the main connection must checkpoint again.
   */
  constructor(path: string, busyTimeoutMs: number, unlockPragmas: readonly string[], private readonly onReady: () => void, private readonly onLost: (reason: string) => void) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, driver: driverPath(), busyTimeoutMs, cipherPragmas: unlockPragmas } });
    // A database left open by mistake must not keep the process alive through this thread.
    this.worker.unref();
    this.worker.on('message', (message: FromWorker) => this.receive(message));
    this.worker.on('error', (error) => this.lose(String(error)));
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', (code) => {
        this.lose(`checkpoint worker exited with code ${code}`);
        resolve();
      });
    });
  }

  private receive(message: FromWorker): void {
    if (message.type === 'ready') {
      this.ready = true;
      if (!this.stopped) {
        this.onReady();
      }
    } else if (message.type === 'checkpointed') {
      this.stats.runs++;
      this.stats.framesCopied = message.checkpointed;
      this.stats.busy += message.busy;
    } else {
      this.lose(message.message);
    }
  }

  private lose(reason: string): void {
    if (this.stopped) {
      return;
    }
    this.stopped = true;
    void this.worker.terminate();
    this.onLost(reason);
  }

  // After each commit: a message is microseconds, the checkpoint runs on the other thread.
  notifyCommitted(): void {
    if (this.ready && !this.stopped) {
      this.worker.postMessage('written');
    }
  }

  get running(): boolean {
    return this.ready && !this.stopped;
  }

  // Resolves once the worker's connection is closed; never rejects.
  close(): Promise<void> {
    if (!this.stopped) {
      this.stopped = true;
      // Someone awaits the close now: the thread must keep the process alive until it is done.
      this.worker.ref();
      this.worker.postMessage('close');
    }
    return this.exited;
  }

  // Test hook: what happens when the thread dies under load.
  kill(): Promise<void> {
    void this.worker.terminate();
    return this.exited;
  }
}
