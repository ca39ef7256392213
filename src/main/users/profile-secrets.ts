import type { User } from '../../shared/domain';
import { backoffAfter, secretKindOf, secretProblem, SECRET_PROBLEM_TEXT, type SecretKind } from '../../shared/profile-secret-policy';
import { AppError } from '../app-error';
import type { AppDatabase } from '../store/database';
import { storeAppError } from '../store/store-errors';
import { hashSecret, verifySecret, type SecretHash } from './secret-hash';

/*
 * Profile secrets live in local_meta, which never replicates: each device keeps its own hashes.
 * A PIN's hash on a sync server could be reversed in seconds by anyone who reads the server,
 * so a profile that arrives by sync has no secret on this device until an administrator of
 * this device sets one. The failed-attempt count and its wait live in the same record, so a
 * restart does not reset them. Nothing here is ever returned through the API.
 */
type SecretRecord = {
  kind: SecretKind;
  hash: SecretHash;
  setAt: string;
  setBy: string;
  failedAttempts: number;
  lockedUntil: string | null;
};

const PREFIX = 'profile-secret:';
const idOf = (userId: string) => `${PREFIX}${userId}`;

export type SecretCheck = { ok: true } | { ok: false; failedAttempts: number; retryAfterMs: number };

export type ProfileSecrets = {
  // Ids of the profiles that have a secret on this device.
  withSecret(): Promise<Set<string>>;
  kindOf(userId: string): Promise<SecretKind | null>;
  // Validates the secret against the profile's role (invalid_input) and replaces any earlier one.
  set(user: User, secret: string, setBy: string): Promise<void>;
  // The first secret on a device whose profiles have none (a store from before secrets);
  // false, and nothing changed, once any profile has one.
  setFirst(user: User, secret: string): Promise<boolean>;
  // Refuses (too_many_attempts) while a wait is running, without looking at the secret.
  check(user: User, secret: string): Promise<SecretCheck>;
};

const minutesText = (ms: number) => {
  const seconds = Math.ceil(ms / 1000);
  return seconds < 90 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
};

export const retryText = (ms: number) => `Too many wrong attempts: try again in ${minutesText(ms)}.`;

export function createProfileSecrets(db: AppDatabase, now: () => Date): ProfileSecrets {
  // One secret operation at a time: parallel guesses must not all pass before the count moves.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };

  /*
   * Counts of wrong attempts the store refused to save (a full disk, a read-only start): kept
   * here, so that guessing on a store that takes no writes still meets the waits. They last
   * until the process ends or the store takes a count again; they apply to the secret
   * they were counted against only.
   */
  const unsaved = new Map<string, SecretRecord>();
  const read = async (userId: string): Promise<SecretRecord | null> => {
    const doc = await db.local_meta.findOne(idOf(userId)).exec();
    const saved = doc ? (doc.toMutableJSON().value as SecretRecord) : null;
    const pending = unsaved.get(userId);
    return pending && saved && pending.setAt === saved.setAt ? pending : saved;
  };
  const write = async (userId: string, record: SecretRecord) => {
    await db.local_meta.upsert({ id: idOf(userId), value: { ...record }, updatedAt: now().toISOString() });
    unsaved.delete(userId);
  };
  const writeAttempts = async (userId: string, record: SecretRecord) => {
    try {
      await write(userId, record);
    } catch (error) {
      const problem = storeAppError(error)?.code;
      if (problem !== 'disk_full' && problem !== 'read_only') throw error;
      unsaved.set(userId, record);
    }
  };

  const withSecret = async () => {
    const docs = await db.local_meta.find({ selector: { id: { $gt: PREFIX, $lt: `${PREFIX}\uffff` } } }).exec();
    return new Set(docs.map((d) => d.id.slice(PREFIX.length)));
  };
  const store = async (user: User, secret: string, setBy: string) => {
    const hash = await hashSecret(secret);
    await write(user.id, { kind: secretKindOf(secret), hash, setAt: now().toISOString(), setBy, failedAttempts: 0, lockedUntil: null });
  };
  const refuseProblem = (user: User, secret: string) => {
    const problem = secretProblem(secret, user.role);
    return problem ? Promise.reject(new AppError('invalid_input', SECRET_PROBLEM_TEXT[problem], { problem })) : null;
  };

  return {
    withSecret,
    async kindOf(userId) {
      return (await read(userId))?.kind ?? null;
    },
    set(user, secret, setBy) {
      return refuseProblem(user, secret) ?? serial(() => store(user, secret, setBy));
    },
    setFirst(user, secret) {
      return refuseProblem(user, secret) ?? serial(async () => {
        if ((await withSecret()).size > 0) return false;
        await store(user, secret, user.id);
        return true;
      });
    },
    check(user, secret) {
      return serial(async () => {
        const record = await read(user.id);
        if (!record) {
          throw new AppError('secret_not_set', `${user.name} has no PIN or passphrase on this device yet: an administrator sets one in Settings → Users.`);
        }
        const at = now().getTime();
        const waitMs = record.lockedUntil ? Date.parse(record.lockedUntil) - at : 0;
        if (waitMs > 0) {
          throw new AppError('too_many_attempts', retryText(waitMs), { retryAfterMs: waitMs, failedAttempts: record.failedAttempts });
        }
        if (await verifySecret(secret, record.hash)) {
          if (record.failedAttempts || record.lockedUntil) await writeAttempts(user.id, { ...record, failedAttempts: 0, lockedUntil: null });
          return { ok: true };
        }
        const failedAttempts = record.failedAttempts + 1;
        const retryAfterMs = backoffAfter(failedAttempts);
        const lockedUntil = retryAfterMs ? new Date(at + retryAfterMs).toISOString() : null;
        await writeAttempts(user.id, { ...record, failedAttempts, lockedUntil });
        return { ok: false, failedAttempts, retryAfterMs };
      });
    },
  };
}
