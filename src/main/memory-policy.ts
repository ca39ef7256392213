import { setFlagsFromString } from 'node:v8';

/*
 * The main process holds the store and the contact directory for days and writes in bursts
 * (imports, sync catch-up, bulk actions). Each burst leaves short-lived copies that V8 promotes
 * and then, on a machine with plenty of memory, collects lazily: it lets the heap grow to
 * several times what is live, so a 1M-event import could take over half a gigabyte of RSS
 * for ~100 MB of live data. Growing the heap by at most half of what is live after each full
 * collection keeps RSS near the live size; the extra collections cost little next to SQLite.
 * Read by V8 at every collection, so setting it at start-up works (unlike heap-size limits).
 * The benchmarks that stand in for the main process apply the same policy.
 */
export const MAIN_PROCESS_V8_FLAGS = ['--heap-growing-percent=50'] as const;

export function applyMainProcessMemoryPolicy(): void {
  for (const flag of MAIN_PROCESS_V8_FLAGS) {
    setFlagsFromString(flag);
  }
}
