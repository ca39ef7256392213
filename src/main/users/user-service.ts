import { ulid } from 'ulid';
import type { Role, User } from '../../shared/domain';
import { AppError } from '../app-error';
import type { EventHub } from '../events/event-hub';
import type { AppDatabase } from '../store/database';
import { changedFields, stampFields } from '../sync/field-clock';

export type UserService = {
  list(): Promise<User[]>;
  get(id: string): Promise<User | null>;
  create(input: { name: string; role: Role }, actor: User | null): Promise<User>;
  update(input: { id: string; name?: string; role?: Role }): Promise<User>;
};

const byCreation = (a: User, b: User) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);

// deviceId stamps edited fields so sync merges per field (see sync/field-clock).
export function createUserService(db: AppDatabase, events: EventHub, now: () => Date, deviceId = ''): UserService {
  const list = async () => (await db.users.find().exec()).map((d) => d.toMutableJSON() as User).sort(byCreation);

  return {
    list,
    async get(id) {
      const doc = await db.users.findOne(id).exec();
      return doc ? (doc.toMutableJSON() as User) : null;
    },
    async create(input, actor) {
      const existing = await db.users.count().exec();
      if (existing === 0 && input.role !== 'admin') {
        throw new AppError('forbidden', 'The first profile must be an administrator, so someone can manage the others.');
      }
      if (existing > 0 && actor?.role !== 'admin') {
        throw new AppError('forbidden', 'Only an administrator can create user profiles.');
      }
      const at = now().toISOString();
      const user: User = { id: ulid(), name: input.name, role: input.role, createdAt: at, updatedAt: at };
      await db.users.insert(user);
      events.emit({ type: 'users:changed' });
      return user;
    },
    async update(input) {
      const doc = await db.users.findOne(input.id).exec();
      if (!doc) throw new AppError('not_found', 'No such user profile.');
      const current = doc.toMutableJSON() as User;
      if (input.role && input.role !== 'admin' && current.role === 'admin') {
        const admins = (await list()).filter((u) => u.role === 'admin');
        if (admins.length <= 1) throw new AppError('conflict', 'The last administrator cannot be given another role.');
      }
      const next: User = {
        ...current,
        name: input.name ?? current.name,
        role: input.role ?? current.role,
        updatedAt: now().toISOString(),
      };
      const patch: Partial<User> = { name: next.name, role: next.role, updatedAt: next.updatedAt };
      const changed = changedFields(current, patch);
      if (changed.length) next.fieldClock = patch.fieldClock = stampFields(current.fieldClock, changed, next.updatedAt, deviceId);
      await doc.incrementalPatch(patch);
      events.emit({ type: 'users:changed' });
      return next;
    },
  };
}
