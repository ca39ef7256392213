import { useTranslation } from 'react-i18next';
import { ALL_WHATSAPP_TARGET } from '../../../../shared/api/bulk-channels';
import type { ConsentStatus } from '../../../../shared/domain';
import { useTypes } from '../../stores/types-store';

// How a bulk change is named to the user: the type (or the all-WhatsApp flag), the status
// it sets and the legal basis it records, in the dialog's preview and in the list.
export function useBulkLabels() {
  const { t } = useTranslation();
  const types = useTypes((s) => s.types);
  const target = (id: string) => (id === ALL_WHATSAPP_TARGET ? t('status.opted_out_all') : (types.find((x) => x.id === id)?.name ?? id));
  const status = (targetId: string, s: ConsentStatus) => (targetId === ALL_WHATSAPP_TARGET ? t(`bulk.flag_${s}`) : t(`status.${s}`));
  const basis = (b: string) => (b ? t(`legalBasis.${b}`) : t('bulk.noBasis'));
  const restate = (targetId: string, s: ConsentStatus, b: string) =>
    t('bulk.restate', { target: target(targetId), status: status(targetId, s), basis: s === 'subscribed' ? basis(b) : t('bulk.noBasis') });
  return { target, status, restate };
}
