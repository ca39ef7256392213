import { getPriority } from 'node:os';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { currentThreadId, WORKER_NICENESS } from '../../../src/main/integrity/thread-priority';

const entry = new URL('../../../src/main/integrity/thread-priority.ts', import.meta.url).pathname;

// A worker that lowers its own priority and says what its thread and the process now run at.
const inWorker = (): Promise<{ lowered: boolean; tid: number | null; own: number | null }> =>
  new Promise((resolve, reject) => {
    const worker = new Worker(
      `require('tsx/cjs/api').register();
       const { parentPort } = require('node:worker_threads');
       const { getPriority } = require('node:os');
       const { lowerThreadPriority, currentThreadId } = require(${JSON.stringify(entry)});
       const lowered = lowerThreadPriority();
       const tid = currentThreadId();
       parentPort.postMessage({ lowered, tid, own: tid === null ? null : getPriority(tid) });`,
      { eval: true },
    );
    worker.once('message', (m) => {
      resolve(m as { lowered: boolean; tid: number | null; own: number | null });
      void worker.terminate();
    });
    worker.once('error', reject);
  });

describe('the integrity workers’ thread priority', () => {
  it.runIf(process.platform === 'linux')('a worker lowers its own thread only: the main thread keeps its priority', async () => {
    const here = currentThreadId();
    if (here === null) throw new Error('no thread id on Linux');
    const before = getPriority(here);
    const seen = await inWorker();
    expect(seen.lowered).toBe(true);
    expect(seen.tid).not.toBe(here);
    expect(seen.own).toBe(Math.max(before, WORKER_NICENESS));
    expect(getPriority(here)).toBe(before);
  });
});
