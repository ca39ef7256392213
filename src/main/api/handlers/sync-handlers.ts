import type { syncChannels } from '../../../shared/api/sync-channels';
import type { HandlersFor } from '../handler-types';
import type { AppServices } from '../../services';

export const syncHandlers = (s: AppServices): HandlersFor<typeof syncChannels> => ({
  'sync:getConfig': async () => s.sync.getConfig(),
  'sync:setConfig': async (input) => s.sync.setConfig(input),
  'sync:start': async () => s.sync.start(),
  'sync:stop': async () => s.sync.stop(),
  'sync:status': async () => s.sync.status(),
  'sync:testConnection': async (input) => s.sync.testConnection(input),
});
