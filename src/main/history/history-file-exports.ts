import { randomBytes } from 'node:crypto';
import { rename } from 'node:fs/promises';
import { basename, isAbsolute } from 'node:path';
import type { HistoryFilterInput } from '../../shared/api/history-channels';
import { AppError } from '../app-error';
import type { EventHub } from '../events/event-hub';
import type { ChooseExportPath } from './export-destination';
import { exportFileName, writeHistoryExport, type ExportFormat } from './history-export-stream';
import type { HistoryService } from './history-service';

// History exports written to a file the user chose (export-destination.ts; any size, constant
// memory: history-export-stream.ts), one at a time, with progress events (kind 'export') and
// cancel. The rows go to a new file beside the chosen one and replace it only when complete, so
// a cancelled or failed export leaves the chosen path as it was (a file the dialog agreed to
// overwrite is not lost to a half-written one).
export type HistoryFileExports = {
  write(filter: HistoryFilterInput, format: ExportFormat, delimiter: ',' | ';' | '\t'): Promise<{ fileName: string; path: string; rows: number }>;
  cancel(): boolean;
};

export function createHistoryFileExports(deps: { history: HistoryService; events: EventHub; now: () => Date; choosePath: ChooseExportPath }): HistoryFileExports {
  const { history, events, now } = deps;
  let running: { cancelled: boolean } | null = null;
  return {
    async write(filter, format, delimiter) {
      if (running) throw new AppError('conflict', 'An export is already running.');
      const job = { cancelled: false };
      running = job;
      const jobId = `export:${Date.now()}`;
      try {
        const path = await deps.choosePath(exportFileName(format, now()));
        if (path === null) throw new AppError('cancelled', 'No file was chosen; nothing was exported.');
        if (!isAbsolute(path)) throw new AppError('invalid_input', 'The export needs a full path to a file.');
        const partial = `${path}.${randomBytes(4).toString('hex')}.partial`;
        const { rows } = await writeHistoryExport(history, filter, format, partial, {
          delimiter,
          cancelled: () => job.cancelled,
          onProgress: (done, total) => events.emit({ type: 'progress', jobId, kind: 'export', done, total, state: 'running' }),
        });
        await rename(partial, path);
        events.emit({ type: 'progress', jobId, kind: 'export', done: rows, total: rows, state: 'finished' });
        return { fileName: basename(path), path, rows };
      } catch (error) {
        const state = error instanceof AppError && error.code === 'cancelled' ? 'cancelled' : 'failed';
        events.emit({ type: 'progress', jobId, kind: 'export', done: 0, total: 0, state });
        throw error;
      } finally {
        running = null;
      }
    },
    cancel() {
      if (!running) return false;
      running.cancelled = true;
      return true;
    },
  };
}
