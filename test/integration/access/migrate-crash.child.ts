// Child process for plain-store-migration.test.ts: migrates the data folder's plain store and
// SIGKILLs itself at the named step, as a power cut or a killed process would stop it there.
// Usage: node --import tsx migrate-crash.child.ts <data folder> <step>
import { createAppStorage } from '../../../src/main/store/storage';
import { MIGRATION_STEPS } from '../../../src/main/store/plain-store-migration';

const [dataDir, stopAt] = process.argv.slice(2);
if (!dataDir || !MIGRATION_STEPS.some((step) => step === stopAt)) {
  throw new Error(`usage: migrate-crash.child.ts <data folder> <${MIGRATION_STEPS.join('|')}>`);
}
createAppStorage(dataDir, undefined, {
  onMigrationStep: (step) => {
    if (step === stopAt) process.kill(process.pid, 'SIGKILL');
  },
});
process.stdout.write('FINISHED\n');
