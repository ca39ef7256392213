import { create } from 'zustand';
import type { SubscriptionType } from '../../../shared/domain';
import { must } from '../api/client';

// Subscription types are few and read by many screens (table columns, filters, the
// record, click-to-chat); one cached list, refreshed when main says types changed.
type TypesState = {
  types: SubscriptionType[];
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string;
  load(): Promise<void>;
};

export const useTypes = create<TypesState>((set, get) => ({
  types: [],
  status: 'idle',
  error: '',
  async load() {
    if (get().status === 'idle') set({ status: 'loading' });
    try {
      set({ types: await must('types:list', {}), status: 'ready', error: '' });
    } catch (e) {
      set({ status: 'error', error: e instanceof Error ? e.message : String(e) });
    }
  },
}));
