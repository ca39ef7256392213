// Polish strings for the read-only start banner (store:mode); spread into pl.ts.
export const readOnlyStartPl = {
  readOnlyStart: {
    title: 'Tylko do odczytu: dysk pełny — zwolnij miejsce i uruchom ponownie.',
    body: 'Consent Desk uruchomił się tylko do odczytu, bo dysk z danymi jest pełny. Możesz przeglądać, sprawdzać i eksportować; nic nie zostanie zapisane, a synchronizacja jest wstrzymana. Zwolnij miejsce na tym dysku, a potem zamknij Consent Desk i uruchom go ponownie.',
  },
};
