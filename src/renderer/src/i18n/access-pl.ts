import type { accessEn } from './access-en';

// Polish strings for profile secrets; spread into pl.ts.
export const accessPl: typeof accessEn = {
  access: {
    secret: 'PIN lub hasło',
    passphrase: 'Hasło',
    confirm: 'Powtórz',
    mismatch: 'Oba wpisy się różnią.',
    signIn: 'Zaloguj',
    back: 'Inny profil',
    signInAs: 'Zaloguj jako {{name}}',
    firstSecretHint: 'Co najmniej 10 znaków. Chroni wszystkie profile na tym komputerze: przechowuj je bezpiecznie.',
    secretHint: 'Hasło o długości co najmniej 10 znaków; agenci terenowi mogą zamiast niego użyć PIN-u z 6–12 cyfr.',
    noSecret: '{{name}} nie ma jeszcze PIN-u ani hasła na tym komputerze. Ustawi je administrator w Ustawienia → Użytkownicy.',
    setUpTitle: 'Ustaw swoje hasło',
    setUpIntro: 'Profile wymagają teraz sekretu. Jako administrator ustaw najpierw swoje hasło, potem hasła pozostałych w Ustawienia → Użytkownicy.',
    setUp: 'Ustaw hasło i zaloguj',
    newSecret: 'Nowy PIN lub hasło',
    currentSecret: 'Twój obecny PIN lub hasło',
    setSecret: 'Ustaw PIN lub hasło',
    setSecretFor: 'Ustaw PIN lub hasło dla: {{name}}',
    secretSaved: 'PIN lub hasło użytkownika {{name}} jest ustawione.',
    missing: 'Brak sekretu na tym komputerze',
    lock: 'Zablokuj',
    lockedTitle: 'Zablokowano',
    lockedIntro: 'To okno zostało zablokowane. {{name}}, podaj PIN lub hasło, aby wrócić do pracy.',
    unlock: 'Odblokuj',
    idleLock: 'Blokuj okno po tylu minutach bezczynności',
    idleLockSaved: 'Zapisano: okna blokują się po {{minutes}} min bezczynności.',
  },
};
