import { useTranslation } from 'react-i18next';
import { LEGAL_BASES, type LegalBasis } from '../../../../shared/domain';
import { CSV_DELIMITERS, CSV_ENCODINGS, type CsvDelimiter, type CsvEncoding } from '../../../../shared/imports/csv-detect';
import { useImport } from '../../stores/import-store';
import { useTypes } from '../../stores/types-store';

const DELIMITER_KEYS: Record<CsvDelimiter, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab' };

export function ImportMappingStep() {
  const { t } = useTranslation();
  const { analysis, mapping, setColumn, setDefaults, reanalyze, check, reset } = useImport();
  const types = useTypes((s) => s.types);
  if (!analysis) return null;
  const columnLabel = (i: number) => analysis.headers[i] || t('import.column', { n: i + 1 });
  const targetOptions = (i: number) => [
    ['ignore', t('import.target_ignore')],
    ['name', t('import.target_name')],
    ['firstName', t('import.target_firstName')],
    ['lastName', t('import.target_lastName')],
    ['phone', t('import.target_phone')],
    ['email', t('import.target_email')],
    ['tags', t('import.target_tags')],
    [`property:${columnLabel(i).replace(/:/g, ' ').slice(0, 64)}`, t('import.target_property', { name: columnLabel(i) })],
    ['legalBasis:', t('import.target_legalBasisAll')],
    ['explanation:', t('import.target_explanationAll')],
    ...types.flatMap((type) => [
      [`status:${type.id}`, t('import.target_status', { type: type.name })],
      [`legalBasis:${type.id}`, t('import.target_legalBasis', { type: type.name })],
      [`explanation:${type.id}`, t('import.target_explanation', { type: type.name })],
    ]),
  ];
  return (
    <div className="stack">
      <div className="card toolbar" role="group" aria-label={t('import.format')}>
        <label>
          {t('import.encoding')}
          <select data-testid="import-encoding" value={analysis.format.encoding} onChange={(e) => void reanalyze({ encoding: e.target.value as CsvEncoding })}>
            {CSV_ENCODINGS.map((enc) => <option key={enc} value={enc}>{enc}</option>)}
          </select>
        </label>
        <label>
          {t('import.delimiter')}
          <select data-testid="import-delimiter" value={analysis.format.delimiter} onChange={(e) => void reanalyze({ delimiter: e.target.value as CsvDelimiter })}>
            {CSV_DELIMITERS.map((d) => <option key={d} value={d}>{t(`import.delim_${DELIMITER_KEYS[d]}`)}</option>)}
          </select>
        </label>
        <label className="inline-check">
          <input type="checkbox" data-testid="import-has-header" checked={analysis.format.hasHeader} onChange={(e) => void reanalyze({ hasHeader: e.target.checked })} />
          {t('import.hasHeader')}
        </label>
        {analysis.remembered && <span className="ok-note" data-testid="import-remembered">{t('import.remembered')}</span>}
      </div>
      {analysis.encodingChange && (
        <p className="card warn" role="status" data-testid="import-encoding-change">
          {t('import.encodingChanged', { from: analysis.encodingChange.from, to: analysis.encodingChange.to, at: analysis.encodingChange.atByte.toLocaleString() })}
        </p>
      )}
      <div className="card stack">
        <h2>{t('import.mapping')}</h2>
        <table className="data-table" data-testid="import-mapping">
          <thead>
            <tr><th>{t('import.columnHeader')}</th><th>{t('import.sample')}</th><th>{t('import.field')}</th></tr>
          </thead>
          <tbody>
            {mapping.columns.map((target, i) => (
              <tr key={i}>
                <td>{columnLabel(i)}</td>
                <td className="muted">{analysis.sample.slice(0, 3).map((r) => r.cells[i] ?? '').filter(Boolean).join(' · ')}</td>
                <td>
                  <select data-testid={`import-map-${i}`} aria-label={t('import.fieldFor', { column: columnLabel(i) })} value={target} onChange={(e) => setColumn(i, e.target.value)}>
                    {targetOptions(i).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="card stack">
        <h2>{t('import.defaults')}</h2>
        <label>
          {t('import.defaultLegalBasis')}
          <select data-testid="import-default-basis" value={mapping.defaultLegalBasis} onChange={(e) => setDefaults({ defaultLegalBasis: e.target.value as LegalBasis | '' })}>
            <option value="">{t('import.noDefaultBasis')}</option>
            {LEGAL_BASES.map((b) => <option key={b} value={b}>{t(`legalBasis.${b}`)}</option>)}
          </select>
        </label>
        <label>
          {t('import.defaultExplanation')}
          <input data-testid="import-default-explanation" value={mapping.defaultExplanation} onChange={(e) => setDefaults({ defaultExplanation: e.target.value })} />
        </label>
      </div>
      <div className="toolbar">
        <button onClick={reset}>{t('app.back')}</button>
        <button className="primary" data-testid="import-check" onClick={() => void check()}>{t('import.check')}</button>
      </div>
    </div>
  );
}
