import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp, type OpenAppOptions, type OpenedApp } from '../../src/main/app';
import type { Session } from '../../src/main/api/handler-types';
import type { Logger } from '../../src/main/logger';
import type { ChannelInput, ChannelName, ChannelResult, Result } from '../../src/shared/api';
import type { Role } from '../../src/shared/domain';
import { TEST_SECRET } from './test-secret';

export const quietLog: Logger = { info: () => {}, warn: () => {}, error: () => {} };

export const makeTempDir = (prefix = 'consent-desk-test-') => mkdtempSync(join(tmpdir(), prefix));

// A real app over a temp data folder, with typed helpers to call the API as a user.
export type TestApp = OpenedApp & {
  dataDir: string;
  as(session: Session): <C extends ChannelName>(channel: C, input: ChannelInput<C>) => Promise<Result<ChannelResult<C>>>;
  must<C extends ChannelName>(session: Session, channel: C, input: ChannelInput<C>): Promise<ChannelResult<C>>;
  // Creates a profile (the first call also creates the admin "Admin") with a secret, default
  // TEST_SECRET, and signs it in through session:signIn as the window would.
  signIn(role: Role, name?: string, secret?: string): Promise<Session>;
  // Signs an existing profile in with its secret; a fresh session, as a new window would have.
  signInAs(userId: string, secret?: string): Promise<Session>;
  dispose(): Promise<void>;
};

export async function openTestApp(options: Partial<OpenAppOptions> = {}): Promise<TestApp> {
  const dataDir = options.dataDir ?? makeTempDir();
  const app = await openApp({ log: quietLog, ...options, dataDir });
  const adminSession: Session = { userId: null };
  const as = (session: Session) => <C extends ChannelName>(channel: C, input: ChannelInput<C>) =>
    app.api.call(channel, input, session) as Promise<Result<ChannelResult<C>>>;
  const must = async <C extends ChannelName>(session: Session, channel: C, input: ChannelInput<C>) => {
    const r = await as(session)(channel, input);
    if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
    return r.value;
  };
  const signInAs = async (userId: string, secret = TEST_SECRET) => {
    const session: Session = { userId: null };
    await must(session, 'session:signIn', { userId, secret });
    return session;
  };
  const signIn = async (role: Role, name = `${role} user`, secret = TEST_SECRET) => {
    if (!adminSession.userId) {
      const admin = await must(adminSession, 'users:create', { name: 'Admin', role: 'admin', secret: TEST_SECRET });
      await must(adminSession, 'session:signIn', { userId: admin.id, secret: TEST_SECRET });
    }
    if (role === 'admin' && name === `${role} user` && secret === TEST_SECRET) return { ...adminSession };
    const user = await must(adminSession, 'users:create', { name, role, secret });
    return signInAs(user.id, secret);
  };
  return {
    ...app,
    dataDir,
    as,
    must,
    signIn,
    signInAs,
    async dispose() {
      await app.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// The subscription type most tests need, as a user would create it.
export const MARKETING_TYPE = { name: 'Marketing', purpose: 'marketing', businessNumber: '+48 22 123 45 67', phoneNumberId: '1001', businessName: 'Sklep' } as const;

// A test app with an admin signed in and the Marketing type created.
export async function openAppWithMarketing(options: Partial<OpenAppOptions> = {}): Promise<{ app: TestApp; admin: Session; typeId: string }> {
  const app = await openTestApp(options);
  const admin = await app.signIn('admin');
  const typeId = (await app.must(admin, 'types:create', MARKETING_TYPE)).id;
  return { app, admin, typeId };
}
