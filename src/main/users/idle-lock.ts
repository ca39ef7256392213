import type { Session } from '../api/handler-types';
import type { AppDatabase } from '../store/database';

/*
 * The idle lock. Its state is per window (the Session a binding keeps) and lives here in main:
 * the window only shows it. A session locks when no activity was reported for the configured
 * time; the check happens at each call, so it needs no timer. The clock is its own (not the
 * app's `now`, which tests move by days to check consent rules) and tests inject it.
 */
export const DEFAULT_IDLE_LOCK_MINUTES = 10;
const META_ID = 'idle-lock';

export type IdleLock = {
  minutes(): Promise<number>;
  setMinutes(minutes: number): Promise<void>;
  // Whether the session is locked now, locking it if it has been idle too long.
  isLocked(session: Session): Promise<boolean>;
  touch(session: Session): void;
  lock(session: Session): void;
  unlock(session: Session): void;
};

export function createIdleLock(db: AppDatabase, clock: () => number): IdleLock {
  let cached: number | null = null;
  const minutes = async () => {
    if (cached !== null) return cached;
    const doc = await db.local_meta.findOne(META_ID).exec();
    const stored = doc?.toMutableJSON().value.minutes;
    return (cached = typeof stored === 'number' ? stored : DEFAULT_IDLE_LOCK_MINUTES);
  };
  return {
    minutes,
    async setMinutes(value) {
      await db.local_meta.upsert({ id: META_ID, value: { minutes: value }, updatedAt: new Date(clock()).toISOString() });
      cached = value;
    },
    async isLocked(session) {
      if (!session.userId) return false;
      if (session.locked) return true;
      const last = session.lastActiveAt ?? (session.lastActiveAt = clock());
      if (clock() - last >= (await minutes()) * 60_000) session.locked = true;
      return session.locked === true;
    },
    touch(session) {
      session.lastActiveAt = clock();
    },
    lock(session) {
      session.locked = true;
    },
    unlock(session) {
      session.locked = false;
      session.lastActiveAt = clock();
    },
  };
}
