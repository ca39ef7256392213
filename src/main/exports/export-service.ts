import type { ContactQuery } from '../../shared/api/contacts-channels';
import type { CsvExport } from '../../shared/api/exports-channels';
import type { User } from '../../shared/domain';
import { contactExportHeader } from '../../shared/imports/contact-export-columns';
import { toCsv, type CsvWriteOptions } from '../../shared/imports/csv-write';
import type { AuditLog } from '../audit/audit-log';
import type { ContactDirectory } from '../contacts/contact-directory';
import type { TypeService } from '../subscription-types/type-service';

// CSV export of contacts with their statuses (SPEC 6; history exports live in history/), safe to open in Excel.
export type ExportService = {
  contacts(query: ContactQuery, options: CsvWriteOptions, user: User): Promise<CsvExport>;
};

const stamp = (d: Date) => d.toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');

export function createExportService(deps: { directory: ContactDirectory; types: TypeService; audit: AuditLog; now: () => Date }): ExportService {
  const { directory, types, audit, now } = deps;
  return {
    async contacts(query, options, user) {
      await directory.ready;
      const typeList = await types.list(true);
      const rows = directory.query(query).flatMap((id) => {
        const r = directory.get(id);
        return r ? [r] : [];
      });
      const propertyKeys = [...new Set(rows.flatMap((r) => Object.keys(r.properties)))].sort();
      const header = contactExportHeader(typeList.map((t) => t.name), propertyKeys);
      const lines = rows.map((r) => [
        r.name, r.waNumber || r.phoneInput, r.phoneValid ? 'yes' : 'no', r.email, r.tags.join(', '),
        ...typeList.map((t) => r.statuses[t.id] ?? 'not_specified'), r.optedOutAll ? 'yes' : 'no',
        ...propertyKeys.map((k) => r.properties[k] ?? ''), r.createdAt, r.updatedAt, r.id,
      ]);
      await audit.noteRead('export.contacts', user, { rows: rows.length, query, delimiter: options.delimiter, bom: options.bom });
      return { fileName: `contacts-${stamp(now())}.csv`, content: toCsv(header, lines, options), rows: rows.length };
    },
  };
}
