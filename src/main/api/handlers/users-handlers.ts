import type { usersChannels } from '../../../shared/api/users-channels';
import { secretKindOf, secretProblem, SECRET_PROBLEM_TEXT } from '../../../shared/profile-secret-policy';
import type { Role, User } from '../../../shared/domain';
import { AppError } from '../../app-error';
import { retryText } from '../../users/profile-secrets';
import { requireUser, type HandlersFor, type HandlerContext } from '../handler-types';
import type { AppServices } from '../../services';

const mustFit = (secret: string, role: Role) => {
  const problem = secretProblem(secret, role);
  if (problem) throw new AppError('invalid_input', SECRET_PROBLEM_TEXT[problem], { problem });
};

export const usersHandlers = (s: AppServices): HandlersFor<typeof usersChannels> => {
  const profile = async (id: string): Promise<User> => {
    const user = await s.users.get(id);
    if (!user) throw new AppError('not_found', 'No such user profile.');
    return user;
  };
  const signInAs = async (user: User, ctx: HandlerContext) => {
    ctx.session.userId = user.id;
    s.idleLock.unlock(ctx.session);
    await s.audit.noteRead('session.sign_in', user, { userId: user.id });
    return user;
  };
  // Checks a secret and counts a wrong one; a wrong one is audited and reported with its wait.
  const verify = async (user: User, secret: string) => {
    const checked = await s.profileSecrets.check(user, secret);
    if (checked.ok) return;
    await s.audit.noteRead('session.sign_in_failed', null, { userId: user.id, name: user.name, failedAttempts: checked.failedAttempts });
    const wait = checked.retryAfterMs ? ` ${retryText(checked.retryAfterMs)}` : '';
    throw new AppError('wrong_secret', `Wrong PIN or passphrase.${wait}`, { failedAttempts: checked.failedAttempts, retryAfterMs: checked.retryAfterMs });
  };

  return {
    'users:list': async () => s.users.list(),
    'users:create': async (input, ctx) => {
      mustFit(input.secret, input.role);
      const user = await s.users.create({ name: input.name, role: input.role }, ctx.user);
      await s.profileSecrets.set(user, input.secret, (ctx.user ?? user).id);
      await s.audit.record('users.create', ctx.user ?? user, { userId: user.id, name: user.name, role: user.role });
      // The first admin's device is the root of trust (device enrolment, src/main/device/).
      if (!ctx.user && !(await s.trust.registry()).root) await s.trust.enrolAsRoot(user);
      return user;
    },
    'users:update': async (input, ctx) => {
      if (input.role && input.role !== 'field_agent' && (await s.profileSecrets.kindOf(input.id)) === 'pin') {
        throw new AppError('conflict', 'This profile signs in with a PIN: set a passphrase for it first, since administrators and compliance officers need one.');
      }
      const user = await s.users.update(input);
      await s.audit.record('users.update', ctx.user, { ...input, userId: input.id });
      return user;
    },
    'users:setSecret': async (input, ctx) => {
      const me = requireUser(ctx);
      const target = await profile(input.userId);
      mustFit(input.secret, target.role);
      if (target.id === me.id) {
        if (!input.currentSecret) throw new AppError('invalid_input', 'currentSecret: your current PIN or passphrase is required to change it.');
        await verify(me, input.currentSecret);
        await s.profileSecrets.set(me, input.secret, me.id);
        await s.audit.record('users.secret_set', me, { userId: me.id, kind: secretKindOf(input.secret) });
        return null;
      }
      if (me.role !== 'admin') throw new AppError('forbidden', 'Only an administrator can set another profile\'s PIN or passphrase.');
      await s.profileSecrets.set(target, input.secret, me.id);
      await s.audit.record('users.secret_reset', me, { userId: target.id, name: target.name, kind: secretKindOf(input.secret) });
      return null;
    },
    'users:secretsState': async () => {
      const [users, withSecret] = await Promise.all([s.users.list(), s.profileSecrets.withSecret()]);
      return { setupNeeded: withSecret.size === 0 && users.length > 0, withoutSecret: users.filter((u) => !withSecret.has(u.id)).map((u) => u.id) };
    },
    'session:signIn': async (input, ctx) => {
      const user = await profile(input.userId);
      await verify(user, input.secret);
      return signInAs(user, ctx);
    },
    'session:setUp': async (input, ctx) => {
      const user = await profile(input.userId);
      if (user.role !== 'admin') throw new AppError('forbidden', 'Only an administrator profile sets up the first passphrase on this device.');
      mustFit(input.secret, user.role);
      if (!(await s.profileSecrets.setFirst(user, input.secret))) {
        throw new AppError('forbidden', 'Profiles on this device already have secrets: sign in with yours, or ask an administrator to set it.');
      }
      await s.audit.record('users.secret_set', user, { userId: user.id, kind: 'passphrase', setUp: true });
      return signInAs(user, ctx);
    },
    'session:status': async (_input, ctx) => ({ locked: await s.idleLock.isLocked(ctx.session), idleLockMinutes: await s.idleLock.minutes() }),
    'session:activity': async (_input, ctx) => {
      s.idleLock.touch(ctx.session);
      return null;
    },
    'session:lock': async (_input, ctx) => {
      s.idleLock.lock(ctx.session);
      return null;
    },
    'session:unlock': async (input, ctx) => {
      const me = requireUser(ctx);
      await verify(me, input.secret);
      s.idleLock.unlock(ctx.session);
      return null;
    },
    'session:setIdleLock': async (input, ctx) => {
      await s.idleLock.setMinutes(input.minutes);
      await s.audit.record('settings.set', ctx.user, { key: 'idleLockMinutes', value: input.minutes });
      return { locked: false, idleLockMinutes: input.minutes };
    },
    'session:current': async (_input, ctx) => ctx.user,
    'session:signOut': async (_input, ctx) => {
      ctx.session.userId = null;
      s.idleLock.unlock(ctx.session);
      return null;
    },
  };
};
