import { create } from 'zustand';

// Hash routes keep back/forward working and never navigate the window away.
export type Route =
  | { page: 'contacts' }
  | { page: 'contact'; id: string }
  | { page: 'newContact' }
  | { page: 'history' }
  | { page: 'overview' }
  | { page: 'import' }
  | { page: 'automation' }
  | { page: 'settings'; section: string }
  | { page: 'collect' }
  | { page: 'messages' };

export function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  switch (parts[0]) {
    case 'contacts':
      if (parts[1] === 'new') return { page: 'newContact' };
      return parts[1] ? { page: 'contact', id: parts[1] } : { page: 'contacts' };
    case 'collect':
    case 'overview':
    case 'history':
    case 'import':
    case 'automation':
    case 'messages':
      return { page: parts[0] };
    case 'settings':
      return { page: 'settings', section: parts[1] ?? 'general' };
    default:
      return { page: 'contacts' };
  }
}

export function hashOf(route: Route): string {
  switch (route.page) {
    case 'contact':
      return `#/contacts/${encodeURIComponent(route.id)}`;
    case 'newContact':
      return '#/contacts/new';
    case 'settings':
      return `#/settings/${route.section}`;
    default:
      return `#/${route.page}`;
  }
}

type RouteState = { route: Route; go(route: Route): void };

export const useRoute = create<RouteState>((set) => {
  window.addEventListener('hashchange', () => set({ route: parseHash(window.location.hash) }));
  return {
    route: parseHash(window.location.hash),
    go: (route) => {
      window.location.hash = hashOf(route);
      set({ route });
    },
  };
});
