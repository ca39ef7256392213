import { useTranslation } from 'react-i18next';
import type { TypeConsent } from '../../../../shared/api/consent-channels';
import type { ContactRow } from '../../../../shared/api/contacts-channels';
import { formatPhoneInternational } from '../../../../shared/phone';
import { Modal } from '../../components/Modal';
import { unbreakable } from '../collect/click-to-chat';
import { OptInActions, OptInDestination, OptInDisclosure, OptInLinkField, OptInOptions, OptInQrImage } from '../collect/OptInQr';
import { useKeywordTable } from '../collect/use-keyword-table';
import { useOptInQr } from '../collect/use-opt-in-qr';

type Props = {
  contact: ContactRow;
  // The live row: when the contact's message arrives while the code is on screen, the
  // record reloads and the dialog says they are subscribed.
  row: TypeConsent;
  onClose(): void;
};

// The click-to-chat QR for one type, shown to the contact in front of the agent so they
// opt in with their own message (SPEC 4), the strongest proof of consent there is.
export function OptInQrDialog({ contact, row, onClose }: Props) {
  const { t } = useTranslation();
  const { type } = row;
  const { keywords, error } = useKeywordTable();
  const state = useOptInQr(type, keywords);
  const subscribed = row.status === 'subscribed';

  return (
    <Modal title={t('consent.optInQrTitle', { type: type.name })} onClose={onClose} testId="opt-in-qr-dialog" wide>
      <div className="opt-in-qr-layout">
        <div className="qr-full">
          <OptInQrImage type={type} state={state} large />
          <OptInDisclosure state={state} large />
          <OptInDestination type={type} state={state} />
        </div>
        <div className="stack">
          {/* Present from the start, so screen readers announce the opt-in when it arrives. */}
          <div role="status" className={subscribed ? 'ok-note stack' : undefined}>
            {subscribed && (
              <>
                <span data-testid="opt-in-qr-subscribed">{t('consent.optInQrSubscribed', { name: contact.name, type: type.name })}</span>
                <div>
                  <button type="button" className="primary" data-testid="opt-in-qr-done" onClick={onClose}>
                    {t('app.close')}
                  </button>
                </div>
              </>
            )}
          </div>
          <p className="muted">{t('consent.optInQrIntro', { name: contact.name, business: type.businessName, keyword: state.keyword })}</p>
          {contact.phoneValid ? (
            <p className="muted small" data-testid="opt-in-qr-from">
              {t('consent.optInQrFromNumber', { number: unbreakable(formatPhoneInternational(contact.waNumber)) })}
            </p>
          ) : (
            <p className="warn-note" data-testid="opt-in-qr-no-number">
              {t('consent.optInQrNoNumber', { name: contact.name })}
            </p>
          )}
          {error && <p role="alert" className="error">{error}</p>}
          <div className="toolbar">
            <OptInOptions state={state} />
          </div>
          <OptInLinkField state={state} />
          <OptInActions type={type} state={state} />
        </div>
      </div>
    </Modal>
  );
}
