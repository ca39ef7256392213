// Polish strings for exporting the filtered history to a file (Historia → Zdarzenia); spread into pl.ts.
export const historyExportPl = {
  historyExport: {
    title: 'Eksport do pliku',
    intro: 'Wszystkie zdarzenia pasujące do powyższych filtrów, bez limitu rozmiaru. Sam wybierasz, gdzie zapisać plik.',
    format: 'Format',
    csv: 'CSV (arkusz kalkulacyjny)',
    jsonl: 'JSON lines (pełne zdarzenia z hashami)',
    start: 'Eksportuj do pliku…',
    progress: 'Eksport: {{done}} z {{total}} zdarzeń',
    cancel: 'Zatrzymaj eksport',
    done_one: 'Zapisano {{formatted}} zdarzenie w pliku {{fileName}}.',
    done_few: 'Zapisano {{formatted}} zdarzenia w pliku {{fileName}}.',
    done_many: 'Zapisano {{formatted}} zdarzeń w pliku {{fileName}}.',
    done_other: 'Zapisano {{formatted}} zdarzenia w pliku {{fileName}}.',
    cancelled: 'Eksport zatrzymany; nie zapisano pliku.',
    failed: 'Eksport nie powiódł się: {{reason}}',
  },
};
