import { create } from 'zustand';
import type { HeadFormat } from '../../../shared/imports/analyze-head';
import type { ImportMapping } from '../../../shared/imports/import-mapping';
import type { DryRunReport, ImportAnalysis, ImportJobInfo, ImportRecord, ImportSummary, ImportUndoResult } from '../../../shared/imports/import-report';
import { must, onAppEvent } from '../api/client';

// The CSV import wizard: choose → (upload) → map → check (dry run) → apply → done.
export type ImportStep = 'choose' | 'uploading' | 'mapping' | 'checking' | 'report' | 'applying' | 'done';

const SLICE = 1024 * 1024;

type ImportState = {
  step: ImportStep;
  jobId: string;
  analysis: ImportAnalysis | null;
  mapping: ImportMapping;
  report: DryRunReport | null;
  confirmOwnOptOut: boolean;
  summary: ImportSummary | null;
  progress: { done: number; total: number };
  error: unknown;
  unfinished: ImportJobInfo[];
  recent: ImportRecord[];
  // The last undo, shown beside the import it undid.
  undoResult: ImportUndoResult | null;
  undoing: string;
  chooseFile(file: File): Promise<void>;
  reanalyze(format: Partial<HeadFormat>): Promise<void>;
  setColumn(index: number, target: string): void;
  setDefaults(patch: Partial<Pick<ImportMapping, 'defaultLegalBasis' | 'defaultExplanation'>>): void;
  check(): Promise<void>;
  setConfirm(value: boolean): void;
  apply(): Promise<void>;
  cancel(): Promise<void>;
  resume(jobId: string): Promise<void>;
  discard(jobId: string): Promise<void>;
  loadUnfinished(): Promise<void>;
  undoImport(jobId: string): Promise<void>;
  backToMapping(): void;
  reset(): void;
};

const toBase64 = (bytes: Uint8Array) => {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
};

const initial = {
  step: 'choose' as ImportStep,
  jobId: '',
  analysis: null,
  mapping: { columns: [], defaultLegalBasis: '' as const, defaultExplanation: '' },
  report: null,
  confirmOwnOptOut: false,
  summary: null,
  progress: { done: 0, total: 0 },
  error: null,
  undoResult: null,
  undoing: '',
};

export const useImport = create<ImportState>((set, get) => {
  onAppEvent((e) => {
    if (e.type === 'progress' && e.jobId === get().jobId && (e.kind === 'import' || e.kind === 'import-check')) {
      set({ progress: { done: e.done, total: e.total } });
    }
  });
  const fail = (error: unknown, step: ImportStep) => set({ error, step });
  return {
    ...initial,
    unfinished: [],
    recent: [],
    async chooseFile(file) {
      set({ ...initial, step: 'uploading', progress: { done: 0, total: file.size } });
      try {
        // The renderer cannot hand main a path: the file goes over in 1 MB slices.
        const { jobId } = await must('imports:begin', { fileName: file.name, size: file.size });
        set({ jobId });
        for (let offset = 0, index = 0; offset < file.size; offset += SLICE, index++) {
          const bytes = new Uint8Array(await file.slice(offset, offset + SLICE).arrayBuffer());
          await must('imports:chunk', { jobId, index, data: toBase64(bytes) });
          set({ progress: { done: Math.min(file.size, offset + SLICE), total: file.size } });
        }
        const analysis = await must('imports:analyze', { jobId });
        set({ analysis, mapping: { ...get().mapping, columns: analysis.mapping, defaultExplanation: `${file.name}` }, step: 'mapping' });
      } catch (e) {
        fail(e, 'choose');
      }
    },
    async reanalyze(format) {
      const { jobId, analysis } = get();
      if (!analysis) return;
      try {
        const next = await must('imports:analyze', { jobId, format: { ...analysis.format, ...format } });
        set({ analysis: next, mapping: { ...get().mapping, columns: next.mapping }, error: null });
      } catch (e) {
        set({ error: e });
      }
    },
    setColumn(index, target) {
      const columns = [...get().mapping.columns];
      columns[index] = target;
      set({ mapping: { ...get().mapping, columns } });
    },
    setDefaults(patch) {
      set({ mapping: { ...get().mapping, ...patch } });
    },
    async check() {
      set({ step: 'checking', error: null, progress: { done: 0, total: 0 } });
      try {
        set({ report: await must('imports:dryRun', { jobId: get().jobId, mapping: get().mapping }), step: 'report', confirmOwnOptOut: false });
      } catch (e) {
        fail(e, 'mapping');
      }
    },
    setConfirm(value) {
      set({ confirmOwnOptOut: value });
    },
    async apply() {
      const { jobId, mapping, report, confirmOwnOptOut } = get();
      set({ step: 'applying', error: null, progress: { done: 0, total: report?.counts.rows ?? 0 } });
      try {
        const confirmOwnOptOutRows = confirmOwnOptOut ? [...new Set(report?.needsConfirmation.map((r) => r.row) ?? [])] : [];
        set({ summary: await must('imports:apply', { jobId, mapping, confirmOwnOptOutRows }), step: 'done' });
      } catch (e) {
        fail(e, 'report');
      }
    },
    async cancel() {
      await must('imports:cancel', { jobId: get().jobId });
    },
    async resume(jobId) {
      set({ ...initial, jobId, step: 'applying' });
      try {
        set({ summary: await must('imports:resume', { jobId }), step: 'done' });
      } catch (e) {
        fail(e, 'choose');
      }
      await get().loadUnfinished();
    },
    async discard(jobId) {
      await must('imports:discard', { jobId });
      await get().loadUnfinished();
    },
    async loadUnfinished() {
      try {
        const [unfinished, recent] = await Promise.all([must('imports:list', {}), must('imports:recent', { limit: 10 })]);
        set({ unfinished, recent });
      } catch (e) {
        set({ error: e });
      }
    },
    async undoImport(jobId) {
      set({ undoing: jobId, error: null, undoResult: null });
      try {
        set({ undoResult: await must('imports:undo', { jobId }) });
      } catch (e) {
        set({ error: e });
      } finally {
        set({ undoing: '' });
      }
      await get().loadUnfinished();
    },
    backToMapping() {
      set({ step: 'mapping', report: null });
    },
    reset() {
      set({ ...initial });
      void get().loadUnfinished();
    },
  };
});
