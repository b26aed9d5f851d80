import { z } from 'zod';
import { run } from '../../db/kysely.js';
import type { SqlConnection, SqlRunner } from '../../db/sql-runner.js';
import { mayManageRole, ROLES, type Role } from '../auth/roles.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import { LANGUAGES } from '../i18n/languages.js';
import {
  insertMember,
  lockedOwners,
  markMemberRemoved,
  memberByEmailForUpdate,
  memberInPlace,
  memberInPlaceByEmail,
  membersInPlace,
  rejoinMember,
  setMemberRole,
  subjectTakenByOther,
} from './members.queries.js';

export interface MemberRow extends Record<string, unknown> {
  id: string;
  workspaceId: string;
  email: string;
  name: string | null;
  locale: string | null;
  role: Role;
  subject: string | null;
  lastSignInAt: Date | null;
  removedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Who manages members: a member's role, or an admin API key (as ADMIN), or the CLI (as OWNER). */
export type ActingRole = Role;

export const inviteMemberSchema = z.object({
  email: z.string().trim().toLowerCase().email('must be an e-mail address').max(320),
  name: z.string().trim().min(1, 'must not be empty').max(200).nullish(),
  locale: z.enum(LANGUAGES, { message: `must be one of ${LANGUAGES.join(', ')}` }).nullish(),
  role: z.enum(ROLES),
  subject: z.string().trim().min(1, 'must not be empty').max(255).nullish(),
});
export type InviteMemberInput = Omit<z.input<typeof inviteMemberSchema>, 'locale'> & { locale?: string | null };

function mayManageOrThrow(actor: ActingRole, target: Role, what: string): void {
  if (!mayManageRole(actor, target)) throw new ForbiddenError(`Only an owner may ${what} an owner`);
}

async function memberOrThrow(conn: SqlConnection, workspaceId: string, id: string, lock = false): Promise<MemberRow> {
  const [row] = await run(conn, memberInPlace(workspaceId, id, lock));
  if (!row) throw new NotFoundError('Member', id);
  return row;
}

/** Owners still in place; locked so that two concurrent changes cannot remove the last two. */
async function lockedOwnerCount(conn: SqlConnection, workspaceId: string): Promise<number> {
  const rows = await run(conn, lockedOwners(workspaceId));
  return rows.length;
}

/** Adds a person to the workspace with a role; a removed member invited again comes back. */
export async function inviteMember(sql: SqlRunner, workspaceId: string, actor: ActingRole, input: InviteMemberInput, now: Date): Promise<MemberRow> {
  const parsed = inviteMemberSchema.safeParse(input);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error, ['input']);
  const { email, name, locale, role, subject } = parsed.data;
  mayManageOrThrow(actor, role, 'make someone');
  return sql.transaction(async (conn) => {
    const [existing] = await run(conn, memberByEmailForUpdate(workspaceId, email));
    if (existing && !existing.removedAt) throw new ConflictError('input.email', `${email} is already a member of this workspace`);
    if (subject) {
      const [taken] = await run(conn, subjectTakenByOther(workspaceId, subject, email));
      if (taken) throw new ConflictError('input.subject', 'Another member already signs in with this subject');
    }
    const [row] = existing
      ? await run(conn, rejoinMember(existing.id, name ?? null, locale ?? null, role, subject ?? null, now))
      : await run(conn, insertMember(workspaceId, email, name ?? null, locale ?? null, role, subject ?? null, now));
    return row!;
  });
}

/** Changes a member's role; the last owner keeps theirs. */
export async function changeMemberRole(sql: SqlRunner, workspaceId: string, actor: ActingRole, memberId: string, role: Role, now: Date): Promise<MemberRow> {
  if (!(ROLES as readonly string[]).includes(role)) throw new ValidationError([{ path: ['input', 'role'], message: `must be one of ${ROLES.join(', ')}` }]);
  return sql.transaction(async (conn) => {
    const owners = await lockedOwnerCount(conn, workspaceId);
    const member = await memberOrThrow(conn, workspaceId, memberId, true);
    mayManageOrThrow(actor, member.role, 'change');
    mayManageOrThrow(actor, role, 'make someone');
    if (member.role === 'OWNER' && role !== 'OWNER' && owners <= 1) {
      throw new ConflictError('input.role', 'This is the last owner of the workspace: make someone else an owner first');
    }
    const [row] = await run(conn, setMemberRole(memberId, role, now));
    return row!;
  });
}

/** Removes a member: they can no longer sign in; what they did still names them. The last owner stays. */
export async function removeMember(sql: SqlRunner, workspaceId: string, actor: ActingRole, memberId: string, now: Date): Promise<MemberRow> {
  return sql.transaction(async (conn) => {
    const owners = await lockedOwnerCount(conn, workspaceId);
    const member = await memberOrThrow(conn, workspaceId, memberId, true);
    mayManageOrThrow(actor, member.role, 'remove');
    if (member.role === 'OWNER' && owners <= 1) throw new ConflictError('input.id', 'This is the last owner of the workspace: make someone else an owner first');
    const [row] = await run(conn, markMemberRemoved(memberId, now));
    return row!;
  });
}

/** Members in place, for the CLI. */
export async function listMembers(sql: SqlRunner, workspaceId: string): Promise<MemberRow[]> {
  return sql.session((conn) => run(conn, membersInPlace(workspaceId)));
}

/** A member by e-mail, for the CLI. */
export async function memberByEmailOrThrow(sql: SqlRunner, workspaceId: string, email: string): Promise<MemberRow> {
  const [row] = await sql.session((conn) => run(conn, memberInPlaceByEmail(workspaceId, email.trim().toLowerCase())));
  if (!row) throw new NotFoundError('Member', email);
  return row;
}
