// Push events from main to every window, through one typed channel.

export type AppEvent =
  | { type: 'contacts:changed'; ids: string[] }
  | { type: 'consent:changed'; contactIds: string[] }
  | { type: 'users:changed' }
  | { type: 'review:changed' }
  | { type: 'settings:changed'; keys: string[] }
  | { type: 'progress'; jobId: string; kind: string; done: number; total: number; state: 'running' | 'finished' | 'cancelled' | 'failed' }
  | { type: 'sync:status'; status: Record<string, unknown> };

export type AppEventType = AppEvent['type'];
