import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ContactRow } from '../../../shared/api/contacts-channels';
import { errorText } from './errors';

export type ContactFormValues = {
  name: string;
  email: string;
  phoneInput: string;
  properties: Record<string, string>;
  tags: string[];
};

type Props = {
  initial?: ContactRow;
  submitLabel: string;
  readOnly?: boolean;
  onSubmit(values: ContactFormValues): Promise<void>;
};

const toPairs = (p: Record<string, string>) => Object.entries(p).map(([k, v]) => ({ k, v }));

export function ContactForm({ initial, submitLabel, readOnly = false, onSubmit }: Props) {
  const { t } = useTranslation();
  const [name, setName] = useState(initial?.name ?? '');
  const [email, setEmail] = useState(initial?.email ?? '');
  const [phoneInput, setPhone] = useState(initial?.phoneInput ?? '');
  const [tags, setTags] = useState((initial?.tags ?? []).join(', '));
  const [props, setProps] = useState(toPairs(initial?.properties ?? {}));
  const [error, setError] = useState('');
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError('');
    setSaved(false);
    setBusy(true);
    try {
      const properties: Record<string, string> = {};
      for (const { k, v } of props) if (k.trim()) properties[k.trim()] = v;
      await onSubmit({
        name,
        email: email.trim(),
        phoneInput,
        properties,
        tags: tags.split(',').map((s) => s.trim()).filter(Boolean),
      });
      setSaved(true);
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="contact-form" onSubmit={submit} data-testid="contact-form" aria-busy={busy}>
      <fieldset disabled={readOnly || busy}>
        <label>
          {t('contacts.name')}
          <input data-testid="contact-name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
        </label>
        <label>
          {t('contacts.phone')}
          <input
            data-testid="contact-phone"
            value={phoneInput}
            onChange={(e) => setPhone(e.target.value)}
            inputMode="tel"
            aria-describedby="phone-status"
          />
        </label>
        {initial && (
          <p id="phone-status" data-testid="phone-status" className={initial.phoneValid ? 'ok-note' : 'warn-note'}>
            {initial.phoneValid
              ? t('contact.phoneValid', { number: initial.waNumber })
              : initial.phoneInput
                ? t('contact.phoneInvalid')
                : t('contact.phoneEmpty')}
          </p>
        )}
        <label>
          {t('contacts.email')}
          <input data-testid="contact-email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>
          {t('contact.tags')}
          <input data-testid="contact-tags" value={tags} onChange={(e) => setTags(e.target.value)} />
        </label>
        <fieldset className="properties">
          <legend>{t('contact.properties')}</legend>
          {props.map((p, i) => (
            <div className="property-row" key={i}>
              <input
                aria-label={t('contact.propertyName')}
                data-testid={`property-name-${i}`}
                value={p.k}
                onChange={(e) => setProps(props.map((q, j) => (j === i ? { ...q, k: e.target.value } : q)))}
              />
              <input
                aria-label={t('contact.propertyValue')}
                data-testid={`property-value-${i}`}
                value={p.v}
                onChange={(e) => setProps(props.map((q, j) => (j === i ? { ...q, v: e.target.value } : q)))}
              />
              <button
                type="button"
                className="icon-button"
                aria-label={t('contact.removeProperty', { name: p.k })}
                onClick={() => setProps(props.filter((_, j) => j !== i))}
              >
                ×
              </button>
            </div>
          ))}
          <button type="button" className="link-button" data-testid="add-property" onClick={() => setProps([...props, { k: '', v: '' }])}>
            + {t('contact.addProperty')}
          </button>
        </fieldset>
        {error && <p role="alert" className="error" data-testid="form-error">{error}</p>}
        {saved && !error && <p role="status" className="ok-note" data-testid="form-saved">{t('contact.saved')}</p>}
        {!readOnly && (
          <button type="submit" className="primary" data-testid="contact-save">
            {submitLabel}
          </button>
        )}
      </fieldset>
    </form>
  );
}
