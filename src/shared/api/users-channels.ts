import { z } from 'zod';
import { ROLES, type User } from '../domain';
import { ADMIN_ONLY, channel } from './channel';

export const userName = z.string().trim().min(1, 'Name is required').max(120);

export const usersChannels = {
  'users:list': channel<User[]>()({
    input: z.object({}).strict(),
    access: 'public',
    summary: 'All local user profiles, oldest first (shown on the profile picker).',
    returns: 'User[]',
    errors: ['invalid_input'],
  }),
  'users:create': channel<User>()({
    input: z.object({ name: userName, role: z.enum(ROLES) }).strict(),
    // The very first profile may be created by anyone (it must be an admin); later ones need an admin.
    access: 'public',
    summary: 'Create a local user profile. The first profile must be an admin; afterwards only admins create profiles.',
    returns: 'User',
    errors: ['invalid_input', 'forbidden'],
  }),
  'users:update': channel<User>()({
    input: z.object({ id: z.string().min(1), name: userName.optional(), role: z.enum(ROLES).optional() }).strict(),
    access: ADMIN_ONLY,
    summary: 'Rename a profile or change its role. The last admin cannot be demoted.',
    returns: 'User',
    errors: ['invalid_input', 'forbidden', 'not_found', 'conflict'],
  }),
  'session:signIn': channel<User>()({
    input: z.object({ userId: z.string().min(1) }).strict(),
    access: 'public',
    summary: 'Make a profile the active user of this window; it becomes the actor of every change.',
    returns: 'User',
    errors: ['invalid_input', 'not_found'],
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
