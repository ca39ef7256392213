// Polish strings for erasure of a contact's personal data (RODO art. 17); spread into pl.ts.
export const erasurePl = {
  erasure: {
    title: 'Usuń dane osobowe (RODO art. 17)',
    intro: 'Usuwa imię i nazwisko, numer, e-mail, właściwości, treści wiadomości i wyjaśnienia na każdym urządzeniu. Zostaje dowód: jaka zgoda, w jakim stanie i kiedy. Tego nie można cofnąć.',
    start: 'Usuń dane osobowe…',
    reason: 'Powód (do dziennika audytu)',
    confirm: 'Usuń teraz',
    cancel: 'Anuluj',
    done: 'Usunięto: kontakt, zdarzenia: {{events}}, wiadomości: {{messages}}, elementy przeglądu: {{reviews}}.',
    legacy_one: '{{count}} zdarzenie zapisane przed tą wersją zachowuje swój tekst.',
    legacy_few: '{{count}} zdarzenia zapisane przed tą wersją zachowują swój tekst.',
    legacy_many: '{{count}} zdarzeń zapisanych przed tą wersją zachowuje swój tekst.',
    legacy_other: '{{count}} zdarzenia zapisanego przed tą wersją zachowuje swój tekst.',
    erasedNote: 'Dane osobowe usunięto {{at}}, usunął(-ęła): {{by}}. Powód: {{reason}}',
  },
};
