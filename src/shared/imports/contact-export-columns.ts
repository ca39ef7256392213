// The columns of the contacts export (SPEC 6) that describe the record rather than the
// person: the import reads a re-imported export's other columns (name, number, e-mail,
// tags, a status per type, properties) and leaves these alone, so exporting, editing in a
// spreadsheet and importing again changes only what was edited.
export const EXPORT_BOOKKEEPING_COLUMNS = ['number_valid', 'opted_out_all_whatsapp', 'created_at', 'updated_at', 'id'] as const;

// Header of the contacts export: the person, a status per type, the channel opt-out flag,
// the properties, then the record's own fields.
export function contactExportHeader(typeNames: readonly string[], propertyKeys: readonly string[]): string[] {
  const [numberValid, optedOutAll, ...record] = EXPORT_BOOKKEEPING_COLUMNS;
  return ['name', 'whatsapp_number', numberValid, 'email', 'tags', ...typeNames, optedOutAll, ...propertyKeys, ...record];
}

// A file whose header carries both of the export's own flag columns is (an edit of) an export.
export const isContactExportHeader = (normalisedHeaders: readonly string[]): boolean =>
  normalisedHeaders.includes('number_valid') && normalisedHeaders.includes('opted_out_all_whatsapp');
