import { create } from 'zustand';
import type { SecretsState } from '../../../shared/api/users-channels';
import type { Role, User } from '../../../shared/domain';
import { ApiFailure, must, onLocked } from '../api/client';
import { useContacts } from './contacts-store';
import { useRoute } from './route-store';
import { useTypes } from './types-store';
import { resetUserViews } from './user-views-reset';

type SessionState = {
  status: 'loading' | 'ready' | 'error';
  user: User | null;
  users: User[];
  secrets: SecretsState;
  // Main's idle lock, as last seen: the lock screen shows over the app while true.
  locked: boolean;
  error: string;
  checkLock(): Promise<void>;
  lock(): Promise<void>;
  unlock(secret: string): Promise<void>;
  load(): Promise<void>;
  signIn(userId: string, secret: string): Promise<void>;
  // A store from before profile secrets: an admin sets the first passphrase and is signed in.
  setUp(userId: string, secret: string): Promise<void>;
  signOut(): Promise<void>;
  createUser(name: string, role: Role, secret: string): Promise<User>;
};

export const useSession = create<SessionState>((set, get) => {
  const signedIn = (user: User) => {
    // Most sign-ins open the contacts home: ask for its first page and its type columns now,
    // while React builds the shell, rather than from the page's effects after it.
    if (useRoute.getState().route.page === 'contacts') {
      if (useContacts.getState().status === 'idle') useContacts.getState().setQuery({});
      if (useTypes.getState().status === 'idle') void useTypes.getState().load();
    }
    // A compliance officer lands on the overview, unless a link already named a page.
    if (user.role === 'compliance_officer' && useRoute.getState().route.page === 'contacts' && window.location.hash === '') useRoute.getState().go({ page: 'overview' });
    set({ user, locked: false });
  };
  onLocked(() => {
    if (!get().locked) set({ locked: true });
  });
  return {
    status: 'loading',
    user: null,
    users: [],
    secrets: { setupNeeded: false, withoutSecret: [] },
    locked: false,
    error: '',
    async checkLock() {
      const { locked } = await must('session:status', {});
      if (locked !== get().locked) set({ locked });
    },
    async lock() {
      await must('session:lock', {});
      set({ locked: true });
    },
    async unlock(secret) {
      await must('session:unlock', { secret });
      set({ locked: false });
    },
    async load() {
      try {
        const [status, user] = await Promise.all([must('session:status', {}), must('session:current', {})]);
        if (status.locked) return set({ user, locked: true, status: 'ready', error: '' });
        const [users, secrets] = await Promise.all([must('users:list', {}), must('users:secretsState', {})]);
        set({ users, user, secrets, locked: false, status: 'ready', error: '' });
      } catch (e) {
        set({ status: 'error', error: e instanceof ApiFailure ? e.message : String(e) });
      }
    },
    async signIn(userId, secret) {
      signedIn(await must('session:signIn', { userId, secret }));
    },
    async setUp(userId, secret) {
      signedIn(await must('session:setUp', { userId, secret }));
    },
    async signOut() {
      await must('session:signOut', {});
      resetUserViews();
      set({ user: null, locked: false });
      await get().load();
    },
    async createUser(name, role, secret) {
      const user = await must('users:create', { name, role, secret });
      set({ users: [...get().users, user] });
      return user;
    },
  };
});

export const hasRole = (user: User | null, ...roles: Role[]) => !!user && roles.includes(user.role);
