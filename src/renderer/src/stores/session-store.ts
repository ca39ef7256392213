import { create } from 'zustand';
import type { Role, User } from '../../../shared/domain';
import { ApiFailure, must } from '../api/client';
import { useContacts } from './contacts-store';
import { useRoute } from './route-store';
import { useTypes } from './types-store';
import { resetUserViews } from './user-views-reset';

type SessionState = {
  status: 'loading' | 'ready' | 'error';
  user: User | null;
  users: User[];
  error: string;
  load(): Promise<void>;
  signIn(userId: string): Promise<void>;
  signOut(): Promise<void>;
  createUser(name: string, role: Role): Promise<User>;
};

export const useSession = create<SessionState>((set, get) => ({
  status: 'loading',
  user: null,
  users: [],
  error: '',
  async load() {
    try {
      const [users, user] = await Promise.all([must('users:list', {}), must('session:current', {})]);
      set({ users, user, status: 'ready', error: '' });
    } catch (e) {
      set({ status: 'error', error: e instanceof ApiFailure ? e.message : String(e) });
    }
  },
  async signIn(userId) {
    const user = await must('session:signIn', { userId });
    // Most sign-ins open the contacts home: ask for its first page and its type columns now,
    // while React builds the shell, rather than from the page's effects after it.
    if (useRoute.getState().route.page === 'contacts') {
      if (useContacts.getState().status === 'idle') useContacts.getState().setQuery({});
      if (useTypes.getState().status === 'idle') void useTypes.getState().load();
    }
    // A compliance officer lands on the overview, unless a link already named a page.
    if (user.role === 'compliance_officer' && useRoute.getState().route.page === 'contacts' && window.location.hash === '') useRoute.getState().go({ page: 'overview' });
    set({ user });
  },
  async signOut() {
    await must('session:signOut', {});
    resetUserViews();
    set({ user: null });
    await get().load();
  },
  async createUser(name, role) {
    const user = await must('users:create', { name, role });
    set({ users: [...get().users, user] });
    return user;
  },
}));

export const hasRole = (user: User | null, ...roles: Role[]) => !!user && roles.includes(user.role);
