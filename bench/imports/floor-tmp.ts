import { storeFloor } from './store-floor';
import { bigCsv } from '../../test/integration/imports/big-csv';
const rows = Number(process.argv[2]); const batch = Number(process.argv[3]);
const mapping = { columns: ['name', 'phone', 'email', 'status:mkt', 'property:city', 'property:customer_since', 'property:notes'], defaultLegalBasis: 'consent_with_notice' as const, defaultExplanation: 'bench' };
const f = await storeFloor({ csv: bigCsv(rows), delimiter: ';', mapping, defaultCountry: 'PL', batch });
console.log(batch, 'wall', f.wallMs.toFixed(0), 'cpu', f.cpuMs.toFixed(0), 'writes', f.writeMs.toFixed(0), 'pv', f.parseValidateMs.toFixed(0));
