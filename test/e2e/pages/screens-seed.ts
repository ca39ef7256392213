import type { OpenedApp } from '../../../src/main/app';
import { BUSINESS, textMessage, webhook } from '../../helpers/webhook';
import { callAs, seedUsers } from '../seed';

// A small but realistic account for the screenshot and accessibility tour: two types on one
// number, contacts with imported properties and Polish names, every status, an undone bulk
// change, a message waiting in the review queue and a rule.
export async function seedTour(app: OpenedApp) {
  const { session, admin } = await seedUsers(app, [{ name: 'Olga Officer', role: 'compliance_officer' }]);
  const marketing = await callAs(app, session, 'types:create', {
    name: 'WhatsApp marketing', purpose: 'marketing', businessNumber: '+48 22 123 45 67', phoneNumberId: BUSINESS.phoneNumberId, businessName: 'Sklep Kowalski',
  });
  const service = await callAs(app, session, 'types:create', {
    name: 'WhatsApp service', purpose: 'transactional', businessNumber: '+48 22 123 45 67', phoneNumberId: BUSINESS.phoneNumberId, businessName: 'Sklep Kowalski',
  });
  const names = ['Jan Wójcik', 'Zofia Żak-Grzębowska 12', 'Anna Nowak 3', 'Łukasz Brzęczyszczykiewicz', 'Marta Kowalska'];
  const contacts = [];
  for (const [i, name] of names.entries()) {
    contacts.push(
      await callAs(app, session, 'contacts:create', {
        name, phoneInput: `+48 601 234 50${i}`, email: i === 0 ? 'jan.wojcik@example.pl' : '',
        properties: i < 2 ? { 'Miasto': 'Poznań', 'Numer klienta': `K-2026-000${i}`, 'Źródło': 'Targi w Poznaniu' } : {}, tags: [],
      }),
    );
  }
  const [jan, zofia, anna] = contacts;
  if (!jan || !zofia || !anna) throw new Error('seed failed');
  let basedOn = '';
  for (const action of ['subscribe', 'unsubscribe', 'resubscribe'] as const) {
    const e = await callAs(app, session, 'consent:change', {
      contactId: jan.id, typeId: marketing.id, action, legalBasis: 'consent_with_notice', explanation: `${action} at the Poznań fair`, basedOn,
    });
    basedOn = e.id;
  }
  await callAs(app, session, 'consent:change', {
    contactId: zofia.id, typeId: service.id, action: 'subscribe', legalBasis: 'legitimate_interest_client', explanation: 'Existing customer', basedOn: '',
  });
  await callAs(app, session, 'consent:setOptOutAll', { contactId: anna.id, optedOut: true, explanation: 'Asked on the phone not to be messaged at all', basedOn: '' });
  const preview = await callAs(app, session, 'bulk:preview', {
    target: marketing.id, status: 'subscribed', selection: { ids: contacts.slice(3).map((c) => c.id) }, legalBasis: 'consent_with_notice', explanation: 'Paper forms from the fair',
  });
  await callAs(app, session, 'bulk:apply', { bulkId: preview.bulkId });
  await callAs(app, session, 'bulk:undo', { bulkId: preview.bulkId });
  await callAs(app, session, 'messages:ingest', {
    payload: webhook([textMessage('wamid.tour', 'please stop messaging me', Math.floor(Date.now() / 1000) - 60, '48601234501')], { from: '48601234501' }),
  });
  return { admin, session, marketing, service, contacts: { jan, zofia, anna } };
}
