import type { usersChannels } from '../../../shared/api/users-channels';
import { AppError } from '../app-error';
import type { HandlersFor } from '../handler-types';
import type { AppServices } from '../../services';

export const usersHandlers = (s: AppServices): HandlersFor<typeof usersChannels> => ({
  'users:list': async () => s.users.list(),
  'users:create': async (input, ctx) => s.users.create(input, ctx.user),
  'users:update': async (input) => s.users.update(input),
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
