// The columns of the contacts export (SPEC 6) that describe the record rather than the
// person: the import reads a re-imported export's other columns (name, number, e-mail,
// tags, a status per type, properties) and leaves these alone, so exporting, editing in a
// spreadsheet and importing again changes only what was edited.
const NUMBER_VALID = 'number_valid';
const OPTED_OUT_ALL = 'opted_out_all_whatsapp';
const RECORD_FIELDS = ['created_at', 'updated_at', 'id'] as const;
export const EXPORT_BOOKKEEPING_COLUMNS: readonly string[] = [NUMBER_VALID, OPTED_OUT_ALL, ...RECORD_FIELDS];

// Header of the contacts export: the person, a status per type, the channel opt-out flag,
// the properties, then the record's own fields.
export function contactExportHeader(typeNames: readonly string[], propertyKeys: readonly string[]): string[] {
  return ['name', 'whatsapp_number', NUMBER_VALID, 'email', 'tags', ...typeNames, OPTED_OUT_ALL, ...propertyKeys, ...RECORD_FIELDS];
}

// A file whose header carries both of the export's own flag columns is (an edit of) an export.
export const isContactExportHeader = (normalisedHeaders: readonly string[]): boolean =>
  normalisedHeaders.includes(NUMBER_VALID) && normalisedHeaders.includes(OPTED_OUT_ALL);
