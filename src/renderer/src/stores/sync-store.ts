import { create } from 'zustand';
import type { SyncConfigView, SyncConnectionCheck, SyncStatus } from '../../../shared/api/sync-channels';
import { must, onAppEvent } from '../api/client';

export type SyncForm = { url: string; database: string; username: string; password?: string };

// Sync settings and the live status. Main pushes 'sync:status' whenever it changes;
// `follow` keeps the store in step with those pushes.
type SyncStoreState = {
  status: SyncStatus | null;
  config: SyncConfigView | null;
  check: SyncConnectionCheck | null;
  loaded: boolean;
  load(): Promise<void>;
  refreshStatus(): Promise<void>;
  follow(): () => void;
  save(form: SyncForm): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  test(form: Partial<SyncForm>): Promise<SyncConnectionCheck>;
};

const isStatus = (v: Record<string, unknown>): v is SyncStatus => typeof v.state === 'string' && typeof v.pending === 'number';

export const useSync = create<SyncStoreState>((set, get) => ({
  status: null,
  config: null,
  check: null,
  loaded: false,
  async load() {
    const [config, status] = await Promise.all([must('sync:getConfig', {}), must('sync:status', {})]);
    set({ config, status, loaded: true });
  },
  async refreshStatus() {
    set({ status: await must('sync:status', {}) });
  },
  follow() {
    return onAppEvent((event) => {
      if (event.type === 'sync:status' && isStatus(event.status)) set({ status: event.status });
    });
  },
  async save(form) {
    const config = await must('sync:setConfig', form);
    set({ config, check: null });
    await get().refreshStatus();
  },
  async start() {
    set({ status: await must('sync:start', {}) });
  },
  async stop() {
    set({ status: await must('sync:stop', {}) });
  },
  async test(form) {
    set({ check: null });
    const check = await must('sync:testConnection', form);
    set({ check });
    return check;
  },
}));
