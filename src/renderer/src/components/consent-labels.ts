import type { TFunction } from 'i18next';
import type { Actor } from '../../../shared/domain';

// Who made a change, in words: a named user, the contact themselves, a rule, or the app.
export function actorLabel(t: TFunction, actor: Actor): string {
  if (actor.kind === 'user') return actor.name || actor.id;
  if (actor.kind === 'contact') return t('consent.actorContact');
  if (actor.kind === 'workflow') return t('consent.actorWorkflow', { name: actor.name || actor.id });
  return t('consent.actorSystem');
}
