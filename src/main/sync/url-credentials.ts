import { hasUrlCredentials } from '../../shared/api/sync-channels';
import type { Logger } from '../logger';
import type { ActiveSecretStore } from '../secrets/secret-store';
import type { StoredSyncConfig } from './sync-config-file';

/*
 * Settings saved before addresses with credentials were refused (http://user:pw@host) kept
 * the password in plain text in the settings file, and showed it to anyone who opened the
 * sync settings. On the first start they are moved: the user name to its field (unless one
 * is set), the password into the encrypted secret (unless one is saved), and the address
 * is saved without them.
 */
export function withoutUrlCredentials(
  config: StoredSyncConfig | null,
  secrets: ActiveSecretStore,
  save: (c: StoredSyncConfig) => void,
  log: Logger,
): StoredSyncConfig | null {
  if (!config || !hasUrlCredentials(config.url)) return config;
  const url = new URL(config.url);
  const username = config.username || decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  const keepSaved = config.passwordCipher !== '';
  const moved: StoredSyncConfig = {
    ...config,
    url: url.href.replace(/\/$/, config.url.endsWith('/') ? '/' : ''),
    username,
    passwordCipher: keepSaved ? config.passwordCipher : password ? secrets.encrypt(password) : '',
    protection: keepSaved ? config.protection : secrets.protection,
  };
  save(moved);
  log.info('sync: the user name and password were moved out of the server address');
  return moved;
}
