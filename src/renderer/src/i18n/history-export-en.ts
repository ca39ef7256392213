// English strings for exporting the filtered history to a file (History → Events); spread into en.ts.
export const historyExportEn = {
  historyExport: {
    title: 'Export to a file',
    intro: 'Every event that matches the filters above, with no size limit. You choose where the file is saved.',
    format: 'Format',
    csv: 'CSV (spreadsheet)',
    jsonl: 'JSON lines (full events with hashes)',
    start: 'Export to file…',
    progress: 'Exporting: {{done}} of {{total}} events',
    cancel: 'Stop export',
    done_one: 'Saved {{formatted}} event to {{fileName}}.',
    done_other: 'Saved {{formatted}} events to {{fileName}}.',
    cancelled: 'Export stopped; no file was saved.',
    failed: 'The export failed: {{reason}}',
  },
};
