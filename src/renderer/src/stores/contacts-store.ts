import { create } from 'zustand';
import type { ContactQuery, ContactRow } from '../../../shared/api/contacts-channels';
import { must } from '../api/client';

// About two screens of rows: the first page is what the window waits for at start and after
// every filter change, so it carries no more rows than the table can show at once.
export const PAGE_SIZE = 50;

// Which contacts the user picked: either explicit ids, or "every contact matching this
// query" (kept as the query, so 100,000 ids are only fetched when an action needs them),
// minus the rows the user unticked since.
export type ContactSelection = { mode: 'ids'; ids: Set<string> } | { mode: 'all'; query: ContactQuery; except: Set<string> };

const NO_SELECTION: ContactSelection = { mode: 'ids', ids: new Set() };

// The contacts table asks for pages as they scroll into view; any change underneath
// bumps `version`, and what is visible is fetched again. Until the first answer for the
// new version arrives the table keeps showing the pages it has (marked busy), instead of
// blanking every row and drawing them twice.
type ContactsState = {
  query: ContactQuery;
  total: number;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string;
  pages: Map<number, ContactRow[]>;
  // The version `pages` (and `total`) belong to; older than `version` while loading.
  pagesVersion: number;
  version: number;
  selection: ContactSelection;
  setQuery(patch: Partial<ContactQuery>): void;
  ensurePage(page: number): Promise<void>;
  refresh(): void;
  rowAt(index: number): ContactRow | undefined;
  toggleSelected(id: string): void;
  selectIds(ids: Iterable<string>): void;
  selectAllMatching(): void;
  clearSelection(): void;
};

const inFlight = new Set<string>();

export const useContacts = create<ContactsState>((set, get) => ({
  query: { search: '', typeId: '', status: '', sort: 'name', direction: 'asc' },
  total: 0,
  status: 'idle',
  error: '',
  pages: new Map(),
  pagesVersion: 0,
  version: 0,
  selection: NO_SELECTION,
  setQuery(patch) {
    // A new filter starts a new selection: acting on rows the user can no longer see
    // (or on an old "all matching") would surprise them in a bulk consent change.
    set({ query: { ...get().query, ...patch }, version: get().version + 1, status: 'loading', selection: NO_SELECTION });
    void get().ensurePage(0);
  },
  refresh() {
    set({ version: get().version + 1 });
    void get().ensurePage(0);
  },
  async ensurePage(page) {
    const { version, query, pages, pagesVersion } = get();
    const key = `${version}:${page}`;
    if ((pagesVersion === version && pages.has(page)) || inFlight.has(key)) return;
    inFlight.add(key);
    try {
      // Changes made in the same turn (a filter cleared and another set, a type and a status
      // picked together) replace this query before it is sent: only the last one asks main.
      await Promise.resolve();
      if (get().version !== version) return;
      const result = await must('contacts:list', { ...query, offset: page * PAGE_SIZE, limit: PAGE_SIZE });
      if (get().version !== version) return;
      // The first answer for this version replaces the pages kept from the last one.
      const next = new Map(get().pagesVersion === version ? get().pages : []);
      next.set(page, result.rows);
      set({ pages: next, pagesVersion: version, total: result.total, status: 'ready', error: '' });
    } catch (e) {
      // No rows of an older query stay on screen under the error.
      if (get().version === version) set({ status: 'error', error: e instanceof Error ? e.message : String(e), pages: new Map(), pagesVersion: version, total: 0 });
    } finally {
      inFlight.delete(key);
    }
  },
  rowAt(index) {
    return get().pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  },
  toggleSelected(id) {
    const current = get().selection;
    if (current.mode === 'all') {
      // The box flips at once; the explicit id list it turns into follows from main.
      const except = new Set(current.except);
      if (except.has(id)) except.delete(id);
      else except.add(id);
      const next: ContactSelection = { ...current, except };
      set({ selection: next });
      void must('contacts:matchingIds', current.query).then((all) => {
        if (get().selection !== next) return;
        set({ selection: { mode: 'ids', ids: new Set(all.filter((x) => !except.has(x))) } });
      });
      return;
    }
    const ids = new Set(current.ids);
    if (ids.has(id)) ids.delete(id);
    else ids.add(id);
    set({ selection: { mode: 'ids', ids } });
  },
  selectIds(ids) {
    set({ selection: { mode: 'ids', ids: new Set(ids) } });
  },
  selectAllMatching() {
    set({ selection: { mode: 'all', query: { ...get().query }, except: new Set() } });
  },
  clearSelection() {
    set({ selection: NO_SELECTION });
  },
}));

// ---- Selection API for actions on the selected contacts (e.g. the bulk-action bar) ----

// How many contacts are selected; for "all matching" that is the current total.
export const selectSelectedCount = (s: Pick<ContactsState, 'selection' | 'total'>): number =>
  s.selection.mode === 'ids' ? s.selection.ids.size : s.total - s.selection.except.size;

export const selectIsSelected = (s: Pick<ContactsState, 'selection'>, id: string): boolean =>
  s.selection.mode === 'all' ? !s.selection.except.has(id) : s.selection.ids.has(id);

// The ids an action should apply to. "All matching" asks main at the moment of acting,
// so contacts that arrived since the selection was made are included.
export async function resolveSelection(selection: ContactSelection = useContacts.getState().selection): Promise<string[]> {
  if (selection.mode === 'ids') return [...selection.ids];
  const { except } = selection;
  return (await must('contacts:matchingIds', selection.query)).filter((id) => !except.has(id));
}
