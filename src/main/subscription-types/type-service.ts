import { ulid } from 'ulid';
import type { Purpose, SubscriptionType } from '../../shared/domain';
import { checkPhone } from '../../shared/phone';
import { AppError } from '../app-error';
import type { EventHub } from '../events/event-hub';
import type { AppDatabase } from '../store/database';

export type TypeFields = { name: string; purpose: Purpose; businessNumber: string; phoneNumberId: string; businessName: string; validForMonths?: number };

export type TypeService = {
  list(includeArchived?: boolean): Promise<SubscriptionType[]>;
  get(id: string): Promise<SubscriptionType | null>;
  create(input: TypeFields): Promise<SubscriptionType>;
  update(input: Partial<TypeFields> & { id: string; archived?: boolean }): Promise<SubscriptionType>;
};

const byPurposeThenName = (a: SubscriptionType, b: SubscriptionType) =>
  a.purpose.localeCompare(b.purpose) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id);

export function createTypeService(db: AppDatabase, events: EventHub, now: () => Date): TypeService {
  const all = async () => (await db.subscription_types.find().exec()).map((d) => d.toMutableJSON() as SubscriptionType);

  // Business numbers are always written with a country code, so no default country applies.
  const businessNumberOf = (input: string) => {
    const check = checkPhone(input, 'ZZ');
    if (!check.valid) throw new AppError('invalid_phone', `"${input}" is not a valid business number in international format (+48 22 123 45 67).`);
    return check.e164;
  };

  const assertUnique = (types: SubscriptionType[], candidate: SubscriptionType) => {
    const clash = types.find(
      (t) => t.id !== candidate.id && !t.archived && t.businessNumber === candidate.businessNumber && t.purpose === candidate.purpose,
    );
    if (clash && !candidate.archived) {
      throw new AppError('conflict', `"${clash.name}" already covers ${candidate.purpose} messages from ${candidate.businessNumber}.`);
    }
  };

  return {
    list: async (includeArchived = false) => (await all()).filter((t) => includeArchived || !t.archived).sort(byPurposeThenName),
    get: async (id) => {
      const doc = await db.subscription_types.findOne(id).exec();
      return doc ? (doc.toMutableJSON() as SubscriptionType) : null;
    },
    async create(input) {
      const at = now().toISOString();
      const type: SubscriptionType = { id: ulid(), ...input, businessNumber: businessNumberOf(input.businessNumber), archived: false, createdAt: at, updatedAt: at };
      assertUnique(await all(), type);
      await db.subscription_types.insert(type);
      events.emit({ type: 'settings:changed', keys: ['types'] });
      return type;
    },
    async update(input) {
      const doc = await db.subscription_types.findOne(input.id).exec();
      if (!doc) throw new AppError('not_found', 'No such subscription type.');
      const { id, ...fields } = input;
      const next: SubscriptionType = {
        ...(doc.toMutableJSON() as SubscriptionType),
        ...fields,
        ...(fields.businessNumber !== undefined ? { businessNumber: businessNumberOf(fields.businessNumber) } : {}),
        id,
        updatedAt: now().toISOString(),
      };
      assertUnique(await all(), next);
      const { id: _id, createdAt: _c, ...patch } = next;
      await doc.incrementalPatch(patch);
      events.emit({ type: 'settings:changed', keys: ['types'] });
      return next;
    },
  };
}
