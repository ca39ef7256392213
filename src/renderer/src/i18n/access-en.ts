// English strings for profile secrets (sign-in, first run, users settings); spread into en.ts.
export const accessEn = {
  access: {
    secret: 'PIN or passphrase',
    passphrase: 'Passphrase',
    confirm: 'Repeat it',
    mismatch: 'The two entries differ.',
    signIn: 'Sign in',
    back: 'Other profile',
    signInAs: 'Sign in as {{name}}',
    firstSecretHint: 'At least 10 characters. It protects every profile on this computer: keep it safe.',
    secretHint: 'A passphrase of at least 10 characters; field agents may use a PIN of 6 to 12 digits instead.',
    noSecret: '{{name}} has no PIN or passphrase on this computer yet. An administrator sets one in Settings → Users.',
    setUpTitle: 'Set your passphrase',
    setUpIntro: 'Profiles now need a secret. As an administrator, set your passphrase first; then set the others’ in Settings → Users.',
    setUp: 'Set passphrase and sign in',
    newSecret: 'New PIN or passphrase',
    currentSecret: 'Your current PIN or passphrase',
    setSecret: 'Set PIN or passphrase',
    setSecretFor: 'Set PIN or passphrase for {{name}}',
    secretSaved: 'The PIN or passphrase of {{name}} is set.',
    missing: 'No secret on this computer',
  },
};
