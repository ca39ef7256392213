import type { Api } from '../api/create-api';
import type { Logger } from '../logger';
import { fail } from '../../shared/api/result';

// What the window needs before the contact directory is loaded: the profile picker, sign-in
// and the shell around the contacts home. None of them reads contacts or statuses.
const EARLY_CHANNELS: ReadonlySet<string> = new Set([
  'users:list',
  'session:current',
  'session:signIn',
  'session:setUp',
  'users:secretsState',
  'session:status',
  'session:signOut',
  'types:list',
  'sync:status',
  // Waits for what its query needs by itself; the first page may come from the start page.
  'contacts:list',
]);

// The app opens before the directory has read every contact (100,000 take a second or
// more), so the window can load and show the profile picker meanwhile. Every other call
// waits here until the contacts are in: a service reading the directory never sees it
// half-loaded, whether or not it waits for the directory itself. `contactsLoaded` is
// asked for on the first such call (asking may start a load held back for the start page).
export function gateUntilContactsLoaded(api: Api, contactsLoaded: () => Promise<void>, log: Logger): Api {
  let loaded = false;
  let failure: unknown = null;
  let settled: Promise<void> | null = null;
  const whenLoaded = () => (settled ??= contactsLoaded().then(
    () => {
      loaded = true;
    },
    (e: unknown) => {
      failure = e;
      log.error('contacts: loading the directory failed', e);
    },
  ));
  return {
    async call(channel, input, session) {
      if (!loaded && !EARLY_CHANNELS.has(channel)) {
        await whenLoaded();
        if (failure) return fail('internal', 'The contacts could not be read from the data folder. The details are in the log.');
      }
      return api.call(channel, input, session);
    },
  };
}
