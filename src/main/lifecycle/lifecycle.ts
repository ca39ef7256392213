import type { ContactDirectory } from '../contacts/contact-directory';
import type { ConsentLedger } from '../ledger/ledger-service';
import type { AppDatabase } from '../store/database';
import type { TypeService } from '../subscription-types/type-service';
import { createPlatformSignalService, type PlatformSignalService } from './platform-signal-service';
import { createRepermission, type Repermission } from './repermission';

// The consent lifecycle and data-subject rights services (issue 22), built together so the
// composition root gains one line.
export type Lifecycle = { repermission: Repermission; signals: PlatformSignalService };

export function createLifecycle(deps: { db: AppDatabase; ledger: ConsentLedger; types: TypeService; directory: ContactDirectory; now: () => Date }): Lifecycle {
  return { repermission: createRepermission(deps), signals: createPlatformSignalService(deps) };
}
