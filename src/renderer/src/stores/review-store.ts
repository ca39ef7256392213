import { create } from 'zustand';
import type { ReviewDecision, ReviewItemView, ReviewListQuery } from '../../../shared/api/review-channels';
import { must } from '../api/client';

type ReviewState = {
  query: Pick<ReviewListQuery, 'state' | 'kind'>;
  items: ReviewItemView[];
  total: number;
  open: number;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string;
  setQuery(patch: Partial<ReviewState['query']>): void;
  refresh(): Promise<void>;
  resolve(id: string, decision: ReviewDecision, reason: string): Promise<ReviewItemView>;
};

let requestId = 0;

export const useReview = create<ReviewState>((set, get) => ({
  query: { state: 'open', kind: '' },
  items: [],
  total: 0,
  open: 0,
  status: 'idle',
  error: '',
  setQuery(patch) {
    set({ query: { ...get().query, ...patch } });
    void get().refresh();
  },
  async refresh() {
    const id = ++requestId;
    set({ status: 'loading' });
    try {
      const page = await must('review:list', { ...get().query, limit: 200 });
      if (id === requestId) set({ items: page.items, total: page.total, open: page.open, status: 'ready', error: '' });
    } catch (e) {
      if (id === requestId) set({ status: 'error', error: e instanceof Error ? e.message : String(e) });
    }
  },
  async resolve(id, decision, reason) {
    const item = await must('review:resolve', { id, decision, reason });
    await get().refresh();
    return item;
  },
}));
