import { ROLE_GRANTS, ROLES, type Role } from '../../core/auth/roles.js';
import type { Viewer } from '../../core/auth/viewer.js';
import { changeMemberRole, inviteMember, removeMember } from '../../core/workspaces/members.js';
import { builder } from '../builder.js';
import { checkedMaxSize } from '../connection-size.js';
import { idOfOrThrow } from '../ids.js';
import { findPage } from '../keyset.js';
import { mutationErrors } from '../mutation-result.js';

export const MemberRoleEnum = builder.enumType('MemberRole', {
  description: 'What a member may do.',
  values: Object.fromEntries(ROLES.map((role) => [role, { value: role, description: ROLE_GRANTS[role].description }])) as Record<Role, { value: Role; description: string }>,
});

export const MemberRef = builder.prismaNode('Member', {
  id: { field: 'id' },
  nullable: true,
  authScopes: { authenticated: true },
  description: 'A person of the team with a role in this workspace, signed in through the identity provider.',
  fields: (t) => ({
    email: t.exposeString('email'),
    name: t.exposeString('name', { nullable: true }),
    locale: t.exposeString('locale', { nullable: true }),
    role: t.expose('role', { type: MemberRoleEnum }),
    scopes: t.stringList({ description: 'The scopes the role grants.', resolve: (member) => [...ROLE_GRANTS[member.role].scopes] }),
    signedIn: t.boolean({ description: 'Whether the member has signed in at least once (their subject is known).', resolve: (member) => member.subject !== null }),
    lastSignInAt: t.expose('lastSignInAt', { type: 'DateTime', nullable: true, description: 'Accurate to about a minute.' }),
    removedAt: t.expose('removedAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.queryField('members', (t) =>
  t.prismaConnection({
    type: 'Member',
    cursor: 'id',
    maxSize: checkedMaxSize,
    authScopes: { authenticated: true },
    description: 'The members of this workspace (removed ones too when asked), by e-mail.',
    args: { includeRemoved: t.arg.boolean({ defaultValue: false }) },
    resolve: (query, _root, args, ctx) => findPage(ctx.db.member, query, { where: args.includeRemoved ? {} : { removedAt: null }, orderBy: [{ email: 'asc' }, { id: 'asc' }] }),
    totalCount: (_root, args, ctx) => ctx.db.member.count({ where: args.includeRemoved ? {} : { removedAt: null } }),
  }),
);

/** Who manages members: a member by their role; an admin API key acts as an admin. */
export function actingRole(viewer: Viewer): Role {
  return viewer.member?.role ?? 'ADMIN';
}

const InviteMemberInput = builder.inputType('InviteMemberInput', {
  fields: (t) => ({
    email: t.field({ type: 'EmailAddress', required: true, description: 'Matched against the verified e-mail of the token at the first sign-in.' }),
    name: t.string(),
    locale: t.string({ description: 'nl, en, de or fr.' }),
    role: t.field({ type: MemberRoleEnum, required: true }),
    subject: t.string({ description: "The identity provider's subject (sub), when known: the member is then recognised by it alone." }),
  }),
});
const ChangeMemberRoleInput = builder.inputType('ChangeMemberRoleInput', {
  fields: (t) => ({ id: t.id({ required: true }), role: t.field({ type: MemberRoleEnum, required: true }) }),
});
const RemoveMemberInput = builder.inputType('RemoveMemberInput', { fields: (t) => ({ id: t.id({ required: true }) }) });

builder.mutationFields((t) => ({
  inviteMember: t.field({
    type: MemberRef,
    authScopes: { admin: true },
    description: 'Adds a person with a role (admins; only owners make owners). They sign in through the identity provider.',
    args: { input: t.arg({ type: InviteMemberInput, required: true }) },
    errors: mutationErrors('InviteMember', 'member'),
    resolve: (_root, { input }, ctx) => inviteMember(ctx.surveys.sql, ctx.viewer.workspaceId, actingRole(ctx.viewer), input, ctx.surveys.clock.now()),
  }),
  changeMemberRole: t.field({
    type: MemberRef,
    authScopes: { admin: true },
    description: 'Gives a member another role (admins; only owners change owners). The last owner keeps the role.',
    args: { input: t.arg({ type: ChangeMemberRoleInput, required: true }) },
    errors: mutationErrors('ChangeMemberRole', 'member'),
    resolve: (_root, { input }, ctx) => changeMemberRole(ctx.surveys.sql, ctx.viewer.workspaceId, actingRole(ctx.viewer), idOfOrThrow(String(input.id), 'Member'), input.role, ctx.surveys.clock.now()),
  }),
  removeMember: t.field({
    type: MemberRef,
    authScopes: { admin: true },
    description: 'Removes a member: their tokens are refused from then on. The last owner cannot be removed.',
    args: { input: t.arg({ type: RemoveMemberInput, required: true }) },
    errors: mutationErrors('RemoveMember', 'member'),
    resolve: (_root, { input }, ctx) => removeMember(ctx.surveys.sql, ctx.viewer.workspaceId, actingRole(ctx.viewer), idOfOrThrow(String(input.id), 'Member'), ctx.surveys.clock.now()),
  }),
}));
