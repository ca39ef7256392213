import { z } from 'zod';
import { ROLES, type User } from '../domain';
import { SECRET_MAX_CHARS } from '../profile-secret-policy';
import { ADMIN_ONLY, channel } from './channel';

export const userName = z.string().trim().min(1, 'Name is required').max(120);
// The role decides what a secret must look like (profile-secret-policy.ts); main checks that.
export const profileSecret = z.string().min(1, 'A PIN or passphrase is required').max(SECRET_MAX_CHARS);
const profileId = z.string().min(1).max(64);

export const MIN_IDLE_LOCK_MINUTES = 1;
export const MAX_IDLE_LOCK_MINUTES = 240;
export type SessionStatus = { locked: boolean; idleLockMinutes: number };

export type SecretsState = {
  // True on a store from before profile secrets, where no profile on this device has one yet:
  // an administrator profile then sets its own passphrase on the profile picker (session:setUp).
  setupNeeded: boolean;
  // Profiles with no secret on this device (created before the upgrade, or arrived by sync).
  withoutSecret: string[];
};

export const usersChannels = {
  'users:list': channel<User[]>()({
    input: z.object({}).strict(),
    access: 'public',
    summary: 'All local user profiles, oldest first (shown on the profile picker).',
    returns: 'User[]',
    errors: ['invalid_input'],
  }),
  'users:create': channel<User>()({
    input: z.object({ name: userName, role: z.enum(ROLES), secret: profileSecret }).strict(),
    // The very first profile may be created by anyone (it must be an admin); later ones need an admin.
    access: 'public',
    summary:
      'Create a local user profile with its secret: a passphrase of at least 10 characters, or for field agents a PIN of 6 to 12 digits. The first profile must be an admin; afterwards only admins create profiles.',
    returns: 'User',
    errors: ['invalid_input', 'forbidden'],
  }),
  'users:update': channel<User>()({
    input: z.object({ id: profileId, name: userName.optional(), role: z.enum(ROLES).optional() }).strict(),
    access: ADMIN_ONLY,
    summary: 'Rename a profile or change its role. The last admin cannot be demoted; a profile with a PIN needs a passphrase before it becomes an admin or compliance officer.',
    returns: 'User',
    errors: ['invalid_input', 'forbidden', 'not_found', 'conflict'],
  }),
  'users:setSecret': channel<null>()({
    input: z.object({ userId: profileId, secret: profileSecret, currentSecret: profileSecret.optional() }).strict(),
    access: 'signed_in',
    summary:
      'Set a profile\'s PIN or passphrase on this device. Your own needs your current one; an admin may reset any other profile\'s (audited). Secrets are never returned.',
    returns: 'null',
    errors: ['invalid_input', 'forbidden', 'not_found', 'wrong_secret', 'too_many_attempts'],
  }),
  'users:secretsState': channel<SecretsState>()({
    input: z.object({}).strict(),
    access: 'public',
    summary: 'Which profiles have no secret on this device, and whether the first passphrase must be set up (a store from before secrets).',
    returns: 'SecretsState',
    errors: ['invalid_input'],
  }),
  'session:signIn': channel<User>()({
    input: z.object({ userId: profileId, secret: profileSecret }).strict(),
    access: 'public',
    summary:
      'Make a profile the active user of this window, given its PIN or passphrase; it becomes the actor of every change. After 4 wrong attempts each further one makes the profile wait (30 s, doubling, at most 15 min); attempts are audited.',
    returns: 'User',
    errors: ['invalid_input', 'not_found', 'wrong_secret', 'too_many_attempts', 'secret_not_set'],
  }),
  'session:setUp': channel<User>()({
    input: z.object({ userId: profileId, secret: profileSecret }).strict(),
    access: 'public',
    summary:
      'On a store from before profile secrets (no profile on this device has one), an administrator profile sets its own passphrase and is signed in; it then sets the others\' in Settings → Users. Refused once any secret exists.',
    returns: 'User',
    errors: ['invalid_input', 'not_found', 'forbidden'],
  }),
  'session:status': channel<SessionStatus>()({
    input: z.object({}).strict(),
    access: 'public',
    summary: 'Whether this window is locked, and after how many idle minutes it locks. Asking does not count as activity.',
    returns: 'SessionStatus { locked, idleLockMinutes }',
    errors: ['invalid_input'],
  }),
  'session:activity': channel<null>()({
    input: z.object({}).strict(),
    access: 'signed_in',
    summary: 'The window reports that someone is using it (keys, pointer; throttled), which keeps it from locking.',
    returns: 'null',
    errors: ['invalid_input', 'not_signed_in', 'locked'],
  }),
  'session:lock': channel<null>()({
    input: z.object({}).strict(),
    access: 'signed_in',
    summary: 'Lock this window now. Until unlocked every call but unlock, status, current and sign-out is refused with locked.',
    returns: 'null',
    errors: ['invalid_input', 'not_signed_in', 'locked'],
  }),
  'session:unlock': channel<null>()({
    input: z.object({ secret: profileSecret }).strict(),
    access: 'signed_in',
    summary: 'Unlock this window with the signed-in profile\'s PIN or passphrase (wrong ones count toward the same wait as sign-in).',
    returns: 'null',
    errors: ['invalid_input', 'not_signed_in', 'wrong_secret', 'too_many_attempts'],
  }),
  'session:setIdleLock': channel<SessionStatus>()({
    input: z.object({ minutes: z.number().int().min(MIN_IDLE_LOCK_MINUTES).max(MAX_IDLE_LOCK_MINUTES) }).strict(),
    access: ADMIN_ONLY,
    summary: 'After how many idle minutes windows on this device lock (default 10).',
    returns: 'SessionStatus',
    errors: ['invalid_input', 'forbidden', 'locked'],
  }),
  'session:current': channel<User | null>()({
    input: z.object({}).strict(),
    access: 'public',
    summary: 'The active user of this window, or null before a profile is picked.',
    returns: 'User | null',
    errors: ['invalid_input'],
  }),
  'session:signOut': channel<null>()({
    input: z.object({}).strict(),
    access: 'public',
    summary: 'Return to the profile picker.',
    returns: 'null',
    errors: ['invalid_input'],
  }),
};
