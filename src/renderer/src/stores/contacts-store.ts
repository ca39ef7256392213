import { create } from 'zustand';
import type { ContactQuery, ContactRow } from '../../../shared/api/contacts-channels';
import { must } from '../api/client';

export const PAGE_SIZE = 200;

// The contacts table asks for pages as they scroll into view; any change underneath
// bumps `version`, which drops the cached pages and refetches what is visible.
type ContactsState = {
  query: ContactQuery;
  total: number;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string;
  pages: Map<number, ContactRow[]>;
  version: number;
  setQuery(patch: Partial<ContactQuery>): void;
  ensurePage(page: number): Promise<void>;
  refresh(): void;
  rowAt(index: number): ContactRow | undefined;
};

const inFlight = new Set<string>();

export const useContacts = create<ContactsState>((set, get) => ({
  query: { search: '', typeId: '', status: '', sort: 'name', direction: 'asc' },
  total: 0,
  status: 'idle',
  error: '',
  pages: new Map(),
  version: 0,
  setQuery(patch) {
    set({ query: { ...get().query, ...patch }, pages: new Map(), version: get().version + 1, status: 'loading' });
    void get().ensurePage(0);
  },
  refresh() {
    set({ pages: new Map(), version: get().version + 1 });
    void get().ensurePage(0);
  },
  async ensurePage(page) {
    const { version, query, pages } = get();
    const key = `${version}:${page}`;
    if (pages.has(page) || inFlight.has(key)) return;
    inFlight.add(key);
    try {
      const result = await must('contacts:list', { ...query, offset: page * PAGE_SIZE, limit: PAGE_SIZE });
      if (get().version !== version) return;
      const next = new Map(get().pages);
      next.set(page, result.rows);
      set({ pages: next, total: result.total, status: 'ready', error: '' });
    } catch (e) {
      if (get().version === version) set({ status: 'error', error: e instanceof Error ? e.message : String(e) });
    } finally {
      inFlight.delete(key);
    }
  },
  rowAt(index) {
    return get().pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  },
}));
