import type { lifecycleChannels } from '../../../shared/api/lifecycle-channels';
import type { AppServices } from '../../services';
import type { HandlersFor } from '../handler-types';

export const lifecycleHandlers = (s: AppServices): HandlersFor<typeof lifecycleChannels> => ({
  'lifecycle:repermission': async (input) => s.lifecycle.repermission.list(input),
});
