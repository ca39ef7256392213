import type { relayChannels } from '../../../shared/api/relay-channels';
import type { HandlersFor } from '../handler-types';
import type { AppServices } from '../../services';

export const relayHandlers = (s: AppServices): HandlersFor<typeof relayChannels> => ({
  'relay:status': async () => s.inbox.status(),
});
