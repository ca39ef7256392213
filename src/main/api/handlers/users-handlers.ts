import type { usersChannels } from '../../../shared/api/users-channels';
import { AppError } from '../../app-error';
import type { HandlersFor } from '../handler-types';
import type { AppServices } from '../../services';

export const usersHandlers = (s: AppServices): HandlersFor<typeof usersChannels> => ({
  'users:list': async () => s.users.list(),
  'users:create': async (input, ctx) => {
    const user = await s.users.create(input, ctx.user);
    await s.audit.record('users.create', ctx.user ?? user, { userId: user.id, name: user.name, role: user.role });
    return user;
  },
  'users:update': async (input, ctx) => {
    const user = await s.users.update(input);
    await s.audit.record('users.update', ctx.user, { ...input, userId: input.id });
    return user;
  },
  'session:signIn': async (input, ctx) => {
    const user = await s.users.get(input.userId);
    if (!user) throw new AppError('not_found', 'No such user profile.');
    ctx.session.userId = user.id;
    return user;
  },
  'session:current': async (_input, ctx) => ctx.user,
  'session:signOut': async (_input, ctx) => {
    ctx.session.userId = null;
    return null;
  },
});
