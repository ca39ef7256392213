import { writeFileSync } from 'node:fs';
import { renderApiDocs } from '../src/shared/api/api-docs';

writeFileSync('docs/api.md', renderApiDocs());
console.log('docs/api.md written');
