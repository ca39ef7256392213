import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/*
 * The integrity check's threads yield the cores to the window: on a busy machine a check that
 * keeps every core busy would otherwise have the main thread wait its turn for a core, and the
 * window's calls with it. Linux schedules threads one by one, so a worker lowers its own
 * priority through its thread id (/proc/thread-self names it). Elsewhere there is no per-thread
 * priority to set this way, and the check runs as it is.
 */
export const WORKER_NICENESS = 10;

// The id of the calling thread (Linux), or null.
export function currentThreadId(): number | null {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isSafeInteger(tid) && tid > 0 ? tid : null;
  } catch {
    return null;
  }
}

// True when the calling thread now runs at the lower priority (or a lower one already).
export function lowerThreadPriority(niceness = WORKER_NICENESS): boolean {
  const tid = currentThreadId();
  if (tid === null) return false;
  try {
    if (getPriority(tid) < niceness) setPriority(tid, niceness);
    return true;
  } catch {
    return false;
  }
}
