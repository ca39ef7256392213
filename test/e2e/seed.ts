import type { OpenedApp } from '../../src/main/app';
import type { Session } from '../../src/main/api/handler-types';
import type { ChannelInput, ChannelName, ChannelResult } from '../../src/shared/api';
import type { Role, User } from '../../src/shared/domain';
import { TEST_SECRET } from '../helpers/test-secret';

// Seeds data through the same API the UI uses, as a given user.
export async function callAs<C extends ChannelName>(
  app: OpenedApp,
  session: Session,
  channel: C,
  input: ChannelInput<C>,
): Promise<ChannelResult<C>> {
  const result = await app.api.call(channel, input, session);
  if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
  return result.value as ChannelResult<C>;
}

// Every profile gets TEST_SECRET unless it names its own; the returned session is the admin's,
// signed in through session:signIn.
export async function seedUsers(app: OpenedApp, extra: Array<{ name: string; role: Role; secret?: string }> = []) {
  const session: Session = { userId: null };
  const admin = await callAs(app, session, 'users:create', { name: 'Ada Admin', role: 'admin', secret: TEST_SECRET });
  await callAs(app, session, 'session:signIn', { userId: admin.id, secret: TEST_SECRET });
  const users: User[] = [admin];
  for (const u of extra) users.push(await callAs(app, session, 'users:create', { ...u, secret: u.secret ?? TEST_SECRET }));
  return { admin, users, session };
}
