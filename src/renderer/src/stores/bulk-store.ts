import { create } from 'zustand';
import type { BulkPreview, BulkRequest, BulkResult, BulkUndoResult } from '../../../shared/api/bulk-channels';
import { must, onAppEvent } from '../api/client';

// The bulk status change: form → preview → apply (progress, cancel) → result (undo).
type BulkState = {
  phase: 'idle' | 'previewing' | 'preview' | 'applying' | 'done' | 'undoing' | 'undone';
  preview: BulkPreview | null;
  result: BulkResult | null;
  undo: BulkUndoResult | null;
  progress: { done: number; total: number };
  error: unknown;
  runPreview(request: BulkRequest): Promise<void>;
  apply(): Promise<void>;
  cancel(): Promise<void>;
  undoLast(): Promise<void>;
  reset(): void;
};

export const useBulk = create<BulkState>((set, get) => {
  onAppEvent((e) => {
    if (e.type === 'progress' && e.jobId === get().preview?.bulkId && e.kind === 'bulk') set({ progress: { done: e.done, total: e.total } });
  });
  return {
    phase: 'idle',
    preview: null,
    result: null,
    undo: null,
    progress: { done: 0, total: 0 },
    error: null,
    async runPreview(request) {
      set({ phase: 'previewing', error: null, preview: null });
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
      const preview = get().preview;
      if (preview) await must('bulk:cancel', { bulkId: preview.bulkId });
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
    reset() {
      set({ phase: 'idle', preview: null, result: null, undo: null, error: null });
    },
  };
});
