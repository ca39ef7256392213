// English strings for erasure of a contact's personal data (GDPR Art. 17); spread into en.ts.
export const erasureEn = {
  erasure: {
    title: 'Erase personal data (GDPR Art. 17)',
    intro: 'Removes the name, number, e-mail, properties, message texts and explanations on every device. What stays proves which consent, with which status, when. This cannot be undone.',
    start: 'Erase personal data…',
    reason: 'Reason (for the audit log)',
    confirm: 'Erase now',
    cancel: 'Cancel',
    done: 'Erased: the contact; events: {{events}}; messages: {{messages}}; review items: {{reviews}}.',
    legacy_one: '{{count}} event recorded before this version keeps its text.',
    legacy_other: '{{count}} events recorded before this version keep their text.',
    erasedNote: 'Personal data erased on {{at}} by {{by}}. Reason: {{reason}}',
  },
};
