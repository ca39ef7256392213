import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { HistoryFilterInput } from '../../shared/api/history-channels';
import { AppError } from '../app-error';
import type { EventHub } from '../events/event-hub';
import { ledgerTable } from '../integrity/ledger-table';
import type { AppDatabase } from '../store/database';
import { exportFileName, writeHistoryExport, type ExportFormat } from './history-export-stream';
import type { HistoryService } from './history-service';

// History exports written to a file in the data folder's `exports` folder (any size, constant
// memory; history-export-stream.ts), one at a time, with progress events (kind 'export') and cancel.
export type HistoryFileExports = {
  write(filter: HistoryFilterInput, format: ExportFormat, delimiter: ',' | ';' | '\t'): Promise<{ fileName: string; path: string; rows: number }>;
  cancel(): boolean;
};

export function createHistoryFileExports(deps: { db: AppDatabase; history: HistoryService; events: EventHub; now: () => Date }): HistoryFileExports {
  const { db, history, events, now } = deps;
  let running: { cancelled: boolean } | null = null;
  return {
    async write(filter, format, delimiter) {
      const table = ledgerTable(db);
      if (!table) throw new AppError('internal', 'File exports need the app’s SQLite store.');
      if (running) throw new AppError('conflict', 'An export is already running.');
      const job = { cancelled: false };
      running = job;
      const jobId = `export:${Date.now()}`;
      try {
        const folder = join(dirname(table.path), 'exports');
        mkdirSync(folder, { recursive: true });
        const base = exportFileName(format, now());
        let fileName = base;
        for (let n = 2; existsSync(join(folder, fileName)); n++) fileName = base.replace(/(\.\w+)$/, `-${n}$1`);
        const path = join(folder, fileName);
        const { rows } = await writeHistoryExport(history, filter, format, path, {
          delimiter,
          cancelled: () => job.cancelled,
          onProgress: (done, total) => events.emit({ type: 'progress', jobId, kind: 'export', done, total, state: 'running' }),
        });
        events.emit({ type: 'progress', jobId, kind: 'export', done: rows, total: rows, state: 'finished' });
        return { fileName, path, rows };
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
