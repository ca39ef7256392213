import { create } from 'zustand';
import type { HistoryRow } from '../../../shared/api/consent-channels';
import type { HistoryFacets, HistoryFilterInput, HistoryStats, IntegrityReport } from '../../../shared/api/history-channels';
import { must } from '../api/client';

export const HISTORY_PAGE_SIZE = 50;

export const EMPTY_FILTER: HistoryFilterInput = {
  contactId: '', typeId: '', source: '', status: '', actorId: '', legalBasis: '', deviceId: '', search: '', from: '', to: '',
};

type Load = 'idle' | 'loading' | 'ready' | 'error';

// The account-wide history: one filter drives the page of rows, the totals and the
// timeline. A change underneath bumps `version`, so answers to old requests are dropped.
type HistoryState = {
  filter: HistoryFilterInput;
  offset: number;
  rows: HistoryRow[];
  total: number;
  stats: HistoryStats | null;
  facets: HistoryFacets;
  status: Load;
  error: string;
  version: number;
  integrity: { status: Load; report: IntegrityReport | null; error: string; done: number; total: number };
  setFilter(patch: Partial<HistoryFilterInput>): void;
  setOffset(offset: number): void;
  refresh(): Promise<void>;
  runIntegrity(): Promise<void>;
  // Stops the running check in main; runIntegrity then ends with the `cancelled` message.
  cancelIntegrity(): Promise<void>;
  noteIntegrityProgress(done: number, total: number): void;
};

export const useHistory = create<HistoryState>((set, get) => ({
  filter: EMPTY_FILTER,
  offset: 0,
  rows: [],
  total: 0,
  stats: null,
  facets: { actors: [], devices: [] },
  status: 'idle',
  error: '',
  version: 0,
  integrity: { status: 'idle', report: null, error: '', done: 0, total: 0 },
  setFilter(patch) {
    set({ filter: { ...get().filter, ...patch }, offset: 0 });
    void get().refresh();
  },
  setOffset(offset) {
    set({ offset });
    void get().refresh();
  },
  async refresh() {
    const version = get().version + 1;
    const { filter, offset } = get();
    set({ version, status: 'loading' });
    try {
      const [page, stats, facets] = await Promise.all([
        must('consent:history', { ...filter, offset, limit: HISTORY_PAGE_SIZE }),
        must('history:stats', filter),
        must('history:facets', {}),
      ]);
      if (get().version !== version) return;
      set({ rows: page.rows, total: page.total, stats, facets, status: 'ready', error: '' });
    } catch (e) {
      if (get().version === version) set({ status: 'error', error: e instanceof Error ? e.message : String(e) });
    }
  },
  async runIntegrity() {
    set({ integrity: { status: 'loading', report: null, error: '', done: 0, total: 0 } });
    try {
      const report = await must('history:verify', {});
      set({ integrity: { status: 'ready', report, error: '', done: report.events, total: report.events } });
    } catch (e) {
      set({ integrity: { ...get().integrity, status: 'error', error: e instanceof Error ? e.message : String(e) } });
    }
  },
  async cancelIntegrity() {
    await must('history:cancelVerify', {});
  },
  noteIntegrityProgress(done, total) {
    const current = get().integrity;
    if (current.status === 'loading') set({ integrity: { ...current, done, total } });
  },
}));
