import type { storeChannels } from '../../../shared/api/store-channels';
import type { AppServices } from '../../services';
import type { HandlersFor } from '../handler-types';

// How the store was opened at start (store/read-only-start.ts), for the window's banner.
export const storeHandlers = (s: AppServices): HandlersFor<typeof storeChannels> => ({
  'store:mode': async () => s.startMode,
});
