import type { lifecycleChannels } from '../../../shared/api/lifecycle-channels';
import type { AppServices } from '../../services';
import type { HandlersFor } from '../handler-types';

export const lifecycleHandlers = (s: AppServices): HandlersFor<typeof lifecycleChannels> => ({
  'lifecycle:getSettings': async () => s.lifecycle.settings.get(),
  'lifecycle:setSettings': async (input, ctx) => {
    const next = await s.lifecycle.settings.set(input);
    await s.audit.record('lifecycle.settings', ctx.user, { ...input });
    return next;
  },
  'lifecycle:refusedChecks': async (input) => s.lifecycle.refused.count(input),
  'lifecycle:repermission': async (input) => s.lifecycle.repermission.list(input),
});
