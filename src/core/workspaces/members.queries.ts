import { sql } from 'kysely';
import { db } from '../../db/kysely.js';
import type { Role } from '../auth/roles.js';

/**
 * Team members' statements, built with the typed seam (src/db/kysely.ts) and run on the caller's
 * session or transaction (members.ts holds the rules: the last owner stays, owners manage owners).
 */

const COLUMNS = ['id', 'workspaceId', 'email', 'name', 'locale', sql<Role>`role::text`.as('role'), 'subject', 'lastSignInAt', 'removedAt', 'createdAt', 'updatedAt'] as const;

/** A member in place, optionally locked for a change. */
export const memberInPlace = (workspaceId: string, id: string, lock: boolean) => {
  const query = db.selectFrom('Member').select(COLUMNS).where('workspaceId', '=', workspaceId).where('id', '=', id).where('removedAt', 'is', null);
  return lock ? query.forUpdate() : query;
};

/** The owners in place, locked (in id order) so that two concurrent changes cannot remove the last two. */
export const lockedOwners = (workspaceId: string) =>
  db.selectFrom('Member').select('id').where('workspaceId', '=', workspaceId).where('role', '=', 'OWNER').where('removedAt', 'is', null).orderBy('id').forUpdate();

/** The member with this e-mail, removed or not, locked. */
export const memberByEmailForUpdate = (workspaceId: string, email: string) => db.selectFrom('Member').select(COLUMNS).where('workspaceId', '=', workspaceId).where('email', '=', email).forUpdate();

/** Whether another person of the workspace signs in with this subject. */
export const subjectTakenByOther = (workspaceId: string, subject: string, email: string) =>
  db.selectFrom('Member').select('id').where('workspaceId', '=', workspaceId).where('subject', '=', subject).where('email', '<>', email);

/** A removed member invited again comes back; given values replace the stored ones. */
export const rejoinMember = (id: string, name: string | null, locale: string | null, role: Role, subject: string | null, now: Date) =>
  db
    .updateTable('Member')
    .set((eb) => ({
      name: eb.fn.coalesce(eb.val(name), 'name'),
      locale: eb.fn.coalesce(eb.val(locale), 'locale'),
      role,
      subject: eb.fn.coalesce(eb.val(subject), 'subject'),
      removedAt: null,
      updatedAt: now,
    }))
    .where('id', '=', id)
    .returning(COLUMNS);

export const insertMember = (workspaceId: string, email: string, name: string | null, locale: string | null, role: Role, subject: string | null, now: Date) =>
  db.insertInto('Member').values({ workspaceId, email, name, locale, role, subject, createdAt: now, updatedAt: now }).returning(COLUMNS);

export const setMemberRole = (id: string, role: Role, now: Date) => db.updateTable('Member').set({ role, updatedAt: now }).where('id', '=', id).returning(COLUMNS);

export const markMemberRemoved = (id: string, now: Date) => db.updateTable('Member').set({ removedAt: now, updatedAt: now }).where('id', '=', id).returning(COLUMNS);

/** Members in place, by e-mail. */
export const membersInPlace = (workspaceId: string) => db.selectFrom('Member').select(COLUMNS).where('workspaceId', '=', workspaceId).where('removedAt', 'is', null).orderBy('email');

/** A member in place by e-mail. */
export const memberInPlaceByEmail = (workspaceId: string, email: string) =>
  db.selectFrom('Member').select(COLUMNS).where('workspaceId', '=', workspaceId).where('email', '=', email).where('removedAt', 'is', null);
