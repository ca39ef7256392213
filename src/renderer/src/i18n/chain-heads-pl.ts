// Polish strings for the signed chain heads in History → Integrity; spread into pl.ts.
export const chainHeadsPl = {
  chainHeads: {
    title: 'Łańcuchy kończące się przed podpisanym czołem',
    tail: 'Urządzenie {{device}}: łańcuch na tym komputerze kończy się na #{{held}}, a podpisane czoło wskazuje #{{head}}. Brakuje zdarzeń {{from}}–{{to}}.',
    state_not_yet_arrived: 'Jeszcze nie dotarły: synchronizacja nie odczytała serwera do końca od nadejścia czoła. Włącz synchronizację albo zaczekaj.',
    state_withheld: 'Zatrzymane: serwer nie miał nic więcej, gdy ten komputer ostatnio odczytał go do końca. Może być wśród nich STOP: zapytaj użytkownika urządzenia albo synchronizuj z innym serwerem.',
    keptAside: '{{n}} z nich dotarło i odłożono je na bok (zobacz Problemy synchronizacji).',
    mismatch: 'Urządzenie {{device}} podpisało czoło dla #{{seq}}, które wskazuje inne zdarzenie niż przechowywane tutaj.',
    known: 'Znane podpisane czoła: {{n}}. Każde urządzenie podpisuje najnowsze zdarzenie przyjęte przez serwer.',
  },
};
