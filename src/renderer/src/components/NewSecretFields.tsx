import { useId } from 'react';
import { useTranslation } from 'react-i18next';

type Props = {
  label: string;
  hint: string;
  secret: string;
  onSecret(value: string): void;
  testId: string;
  // Asked where the person types a secret for themselves and cannot see it: first run and
  // changing one's own. An admin creating a profile hands the secret over, so no repeat.
  confirm?: { value: string; onChange(value: string): void; testId: string };
};

// The fields for choosing a new PIN or passphrase: the secret, the policy hint tied to it for
// screen readers, and optionally the repeat. The caller compares the two on submit.
export function NewSecretFields({ label, hint, secret, onSecret, testId, confirm }: Props) {
  const { t } = useTranslation();
  const hintId = useId();
  return (
    <>
      <label>
        {label}
        <input
          type="password"
          data-testid={testId}
          value={secret}
          onChange={(e) => onSecret(e.target.value)}
          required
          autoComplete="new-password"
          aria-describedby={hintId}
        />
      </label>
      <small id={hintId} className="muted">{hint}</small>
      {confirm && (
        <label>
          {t('access.confirm')}
          <input
            type="password"
            data-testid={confirm.testId}
            value={confirm.value}
            onChange={(e) => confirm.onChange(e.target.value)}
            required
            autoComplete="new-password"
          />
        </label>
      )}
    </>
  );
}
