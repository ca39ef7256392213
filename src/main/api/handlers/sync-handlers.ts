import type { syncChannels } from '../../../shared/api/sync-channels';
import type { HandlersFor } from '../handler-types';
import type { AppServices } from '../../services';

// Sync changes are audited (never the password: only whether one was given).
export const syncHandlers = (s: AppServices): HandlersFor<typeof syncChannels> => ({
  'sync:getConfig': async () => s.sync.getConfig(),
  'sync:setConfig': async (input, ctx) => {
    const saved = await s.sync.setConfig(input);
    await s.audit.record('sync.configure', ctx.user, { url: saved.url, database: saved.database, username: saved.username, passwordChanged: input.password !== undefined });
    return saved;
  },
  'sync:start': async (_input, ctx) => {
    const status = await s.sync.start();
    await s.audit.record('sync.configure', ctx.user, { started: true });
    return status;
  },
  'sync:stop': async (_input, ctx) => {
    const status = await s.sync.stop();
    await s.audit.record('sync.configure', ctx.user, { stopped: true });
    return status;
  },
  'sync:status': async () => s.sync.status(),
  'sync:testConnection': async (input) => s.sync.testConnection(input),
});
