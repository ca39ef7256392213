import { create } from 'zustand';
import type { BulkActionInfo, BulkPreview, BulkRequest, BulkResult, BulkUndoResult } from '../../../shared/api/bulk-channels';
import { must, onAppEvent } from '../api/client';

// The bulk status change: form → preview → apply (progress, cancel) → result (undo).
// The dialog's state lives here, not in the contacts page: what it was opened for (the
// selection and its size) is kept from the moment it opens, so contacts leaving the
// filter (they do, when their status changes) neither close it nor change its title,
// and its result and undo stay until it is closed. Opening it again starts afresh.
type Phase = 'idle' | 'previewing' | 'preview' | 'applying' | 'done' | 'undoing' | 'undone';

type BulkState = {
  open: boolean;
  // What the dialog was opened for.
  selection: BulkRequest['selection'] | null;
  count: number;
  phase: Phase;
  request: BulkRequest | null;
  preview: BulkPreview | null;
  result: BulkResult | null;
  undo: BulkUndoResult | null;
  progress: { done: number; total: number };
  error: unknown;
  // Past bulk changes, with undo and resume.
  history: BulkActionInfo[];
  historyOpen: boolean;
  historyBusy: string;
  historyNote: { bulkId: string; undo?: BulkUndoResult; result?: BulkResult } | null;
  openDialog(selection: BulkRequest['selection'], count: number): void;
  closeDialog(): void;
  runPreview(request: BulkRequest): Promise<void>;
  apply(): Promise<void>;
  cancel(): Promise<void>;
  undoLast(): Promise<void>;
  back(): void;
  openHistory(): Promise<void>;
  closeHistory(): void;
  loadHistory(): Promise<void>;
  undoPast(bulkId: string): Promise<void>;
  resumePast(bulkId: string): Promise<void>;
};

const fresh = { phase: 'idle' as Phase, request: null, preview: null, result: null, undo: null, error: null, progress: { done: 0, total: 0 } };

export const useBulk = create<BulkState>((set, get) => {
  onAppEvent((e) => {
    if (e.type === 'progress' && e.kind === 'bulk' && (e.jobId === get().preview?.bulkId || e.jobId === get().historyBusy)) set({ progress: { done: e.done, total: e.total } });
  });
  return {
    open: false,
    selection: null,
    count: 0,
    ...fresh,
    history: [],
    historyOpen: false,
    historyBusy: '',
    historyNote: null,
    openDialog(selection, count) {
      set({ ...fresh, open: true, selection, count });
    },
    closeDialog() {
      set({ ...fresh, open: false, selection: null, count: 0 });
    },
    async runPreview(request) {
      set({ phase: 'previewing', error: null, preview: null, request });
      try {
        set({ preview: await must('bulk:preview', request), phase: 'preview' });
      } catch (e) {
        set({ error: e, phase: 'idle' });
      }
    },
    async apply() {
      const preview = get().preview;
      if (!preview) return;
      set({ phase: 'applying', progress: { done: 0, total: preview.selected }, error: null });
      try {
        set({ result: await must('bulk:apply', { bulkId: preview.bulkId }), phase: 'done' });
      } catch (e) {
        set({ error: e, phase: 'preview' });
      }
    },
    async cancel() {
      const id = get().preview?.bulkId || get().historyBusy;
      if (id) await must('bulk:cancel', { bulkId: id });
    },
    async undoLast() {
      const result = get().result;
      if (!result) return;
      set({ phase: 'undoing', error: null });
      try {
        set({ undo: await must('bulk:undo', { bulkId: result.bulkId }), phase: 'undone' });
      } catch (e) {
        set({ error: e, phase: 'done' });
      }
    },
    back() {
      set({ phase: 'idle', preview: null, error: null });
    },
    async openHistory() {
      set({ historyOpen: true, historyNote: null, error: null });
      await get().loadHistory();
    },
    closeHistory() {
      set({ historyOpen: false, historyNote: null });
    },
    async loadHistory() {
      try {
        set({ history: await must('bulk:list', { limit: 50 }) });
      } catch (e) {
        set({ error: e });
      }
    },
    async undoPast(bulkId) {
      set({ historyBusy: bulkId, error: null, historyNote: null });
      try {
        set({ historyNote: { bulkId, undo: await must('bulk:undo', { bulkId }) } });
      } catch (e) {
        set({ error: e });
      } finally {
        set({ historyBusy: '' });
        await get().loadHistory();
      }
    },
    async resumePast(bulkId) {
      set({ historyBusy: bulkId, error: null, historyNote: null, progress: { done: 0, total: 0 } });
      try {
        set({ historyNote: { bulkId, result: await must('bulk:resume', { bulkId }) } });
      } catch (e) {
        set({ error: e });
      } finally {
        set({ historyBusy: '' });
        await get().loadHistory();
      }
    },
  };
});
