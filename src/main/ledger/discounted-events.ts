import type { ConsentEvent } from '../../shared/domain';
import type { AppDatabase } from '../store/database';

/*
 * Events the ledger holds but the projection must not count: those of a revoked device after
 * the last seq its revocation accepts (issue 25). They stay in the ledger (append-only; the
 * integrity check reports them as failing), but every fold of the projection leaves them out:
 * a revocation that arrives after they were folded re-projects their contacts
 * (sync/revocation-refold.ts), and any later re-fold or rebuild agrees with it. Kept in
 * local_meta (what this device learnt from its registry; never replicated), as
 * { deviceId: last counted seq }.
 */
export const DISCOUNTED_META = 'ledger:discounted';
export type Discounts = ReadonlyMap<string, number>;

export async function readDiscounts(db: AppDatabase): Promise<Discounts> {
  const [doc] = await db.local_meta.storageInstance.findDocumentsById([DISCOUNTED_META], false);
  const value = (doc?.value ?? {}) as Record<string, unknown>;
  return new Map(Object.entries(value).filter((e): e is [string, number] => typeof e[1] === 'number'));
}

export async function writeDiscounts(db: AppDatabase, discounts: Discounts, at: string): Promise<void> {
  await db.local_meta.upsert({ id: DISCOUNTED_META, value: Object.fromEntries(discounts), updatedAt: at });
}

export const counted = (event: Pick<ConsentEvent, 'deviceId' | 'seq'>, discounts: Discounts): boolean => {
  const upTo = discounts.get(event.deviceId);
  return upTo === undefined || event.seq <= upTo;
};
