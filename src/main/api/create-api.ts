import { ZodError } from 'zod';
import { API_CHANNELS, isChannelName, type Access, type ChannelName, type Result } from '../../shared/api';
import { fail, ok } from '../../shared/api/result';
import type { Role, User } from '../../shared/domain';
import type { AppServices } from '../services';
import { AppError } from '../app-error';
import { storeAppError } from '../store/store-errors';
import type { Handlers, Session } from './handler-types';
import { checkInputLimits } from './input-guard';
import { automationHandlers } from './handlers/automation-handlers';
import { consentHandlers, messagesHandlers, settingsHandlers, typesHandlers } from './handlers/consent-handlers';
import { bulkHandlers } from './handlers/bulk-handlers';
import { contactsHandlers } from './handlers/contacts-handlers';
import { deviceHandlers } from './handlers/device-handlers';
import { exportsHandlers } from './handlers/exports-handlers';
import { importsHandlers } from './handlers/imports-handlers';
import { erasureHandlers } from './handlers/erasure-handlers';
import { lifecycleHandlers } from './handlers/lifecycle-handlers';
import { historyHandlers, reviewHandlers } from './handlers/history-handlers';
import { relayHandlers } from './handlers/relay-handlers';
import { overviewHandlers } from './handlers/overview-handlers';
import { storeHandlers } from './handlers/store-handlers';
import { syncHandlers } from './handlers/sync-handlers';
import { syncTrustHandlers } from './handlers/sync-trust-handlers';
import { usersHandlers } from './handlers/users-handlers';
import { withChangeAuthor } from '../sync/change-author';

// The transport-free API. Every binding (Electron IPC, the e2e harness, benchmarks)
// calls `call`; input is parsed and the role checked here, in main, whatever the UI shows.
export type Api = {
  call(channel: string, input: unknown, session: Session): Promise<Result<unknown>>;
};

const ROLE_NAMES: Record<Role, string> = {
  field_agent: 'field agents',
  compliance_officer: 'compliance officers',
  admin: 'administrators',
};

const accessError = (access: Access, user: User | null): Result<never> | null => {
  if (access === 'public') return null;
  if (!user) return fail('not_signed_in', 'Pick a user profile first.');
  if (access === 'signed_in' || access.includes(user.role)) return null;
  const allowed = access.map((r) => ROLE_NAMES[r]).join(' or ');
  return fail('forbidden', `Only ${allowed} may do this; you are signed in as ${ROLE_NAMES[user.role].replace(/s$/, '')}.`);
};

// What a locked window may still call: the lock screen's own needs.
const LOCK_SCREEN_CHANNELS: ReadonlySet<ChannelName> = new Set(['session:unlock', 'session:status', 'session:signOut', 'session:current']);

const describeZod = (e: ZodError) =>
  e.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');

export function createApi(services: AppServices): Api {
  const handlers: Handlers = {
    ...usersHandlers(services),
    ...automationHandlers(services),
    ...contactsHandlers(services),
    ...syncHandlers(services),
    ...syncTrustHandlers(services),
    ...deviceHandlers(services),
    ...typesHandlers(services),
    ...consentHandlers(services),
    ...messagesHandlers(services),
    ...settingsHandlers(services),
    ...importsHandlers(services),
    ...bulkHandlers(services),
    ...exportsHandlers(services),
    ...historyHandlers(services),
    ...reviewHandlers(services),
    ...relayHandlers(services),
    ...lifecycleHandlers(services),
    ...erasureHandlers(services),
    ...overviewHandlers(services),
    ...storeHandlers(services),
  };

  const run = async <C extends ChannelName>(name: C, input: unknown, session: Session): Promise<Result<unknown>> => {
    const def = API_CHANNELS[name];
    const tooBig = checkInputLimits(input);
    if (tooBig) return fail('invalid_input', tooBig.path ? `${tooBig.path}: ${tooBig.message}` : tooBig.message, [tooBig]);
    const parsed = def.input.safeParse(input ?? {});
    if (!parsed.success) return fail('invalid_input', describeZod(parsed.error), parsed.error.issues);
    if (!LOCK_SCREEN_CHANNELS.has(name) && (await services.idleLock.isLocked(session))) {
      return fail('locked', 'The window is locked: unlock it with your PIN or passphrase.');
    }
    const user = session.userId ? await services.users.get(session.userId) : null;
    const refused = accessError(def.access, user);
    if (refused) return refused;
    const handler = handlers[name] as (input: unknown, ctx: { session: Session; user: User | null }) => Promise<unknown>;
    // The signed-in user authors (and their device signs) every shared change the call makes.
    return ok(await withChangeAuthor(user?.id ?? '', () => handler(parsed.data, { session, user })));
  };

  return {
    async call(channel, input, session) {
      if (!isChannelName(channel)) return fail('unknown_channel', `There is no API channel named "${String(channel).slice(0, 80)}".`);
      try {
        return await run(channel, input, session);
      } catch (e) {
        if (e instanceof AppError) return fail(e.code, e.message, e.details);
        if (e instanceof ZodError) return fail('invalid_input', describeZod(e));
        const store = storeAppError(e);
        services.log.error(`api ${channel} failed`, e);
        if (store) return fail(store.code, store.message, store.details);
        return fail('internal', 'Something went wrong inside the app. The details are in the log.');
      }
    },
  };
}
