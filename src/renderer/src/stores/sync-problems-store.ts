import { create } from 'zustand';
import type { QuarantinedDocument } from '../../../shared/api/sync-trust-channels';
import { must } from '../api/client';

type Load = 'idle' | 'loading' | 'ready' | 'error';

// Documents sync kept aside on this device (main refuses anyone but officers and admins).
type SyncProblemsState = {
  status: Load;
  rechecking: boolean;
  items: QuarantinedDocument[];
  error: string;
  // When the last "re-check now" ended, to say so beside the button.
  recheckedAt: string;
  load(): Promise<void>;
  recheck(): Promise<void>;
};

export const useSyncProblems = create<SyncProblemsState>((set, get) => ({
  status: 'idle',
  rechecking: false,
  items: [],
  error: '',
  recheckedAt: '',
  async load() {
    set({ status: get().status === 'ready' ? 'ready' : 'loading' });
    try {
      set({ items: await must('sync:quarantine', {}), status: 'ready', error: '' });
    } catch (e) {
      set({ status: 'error', error: e instanceof Error ? e.message : String(e) });
    }
  },
  async recheck() {
    set({ rechecking: true });
    try {
      const items = await must('sync:recheckQuarantine', {});
      set({ items, status: 'ready', error: '', recheckedAt: new Date().toISOString() });
    } catch (e) {
      set({ error: e instanceof Error ? e.message : String(e) });
    } finally {
      set({ rechecking: false });
    }
  },
}));
