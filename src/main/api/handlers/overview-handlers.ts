import type { overviewChannels } from '../../../shared/api/overview-channels';
import { createOverviewService } from '../../overview/overview-service';
import type { HandlersFor } from '../handler-types';
import type { AppServices } from '../../services';

// The overview reads only services that already exist, so it is built here rather than in
// the composition root.
export const overviewHandlers = (s: AppServices): HandlersFor<typeof overviewChannels> => {
  const overview = createOverviewService({ db: s.db, directory: s.directory, history: s.history, types: s.types, audit: s.audit, now: s.now });
  return { 'overview:get': async (input) => overview.get(input) };
};
