import type { Viewer } from '../../core/auth/viewer.js';
import { builder } from '../builder.js';
import { MemberRef, MemberRoleEnum } from './member.js';
import { WorkspaceRef } from './workspace.js';

const ViewerRef = builder.objectRef<Viewer>('Viewer').implement({
  description: 'The caller: a machine API key or a member signed in through the identity provider.',
  fields: (t) => ({
    kind: t.string({ description: 'API_KEY or MEMBER.', resolve: (viewer) => (viewer.member ? 'MEMBER' : 'API_KEY') }),
    scopes: t.stringList({ description: "What the caller may do: area:read, area:write, personal-data:export or admin (a member's come from the role).", resolve: (viewer) => [...viewer.scopes] }),
    apiKeyId: t.id({ nullable: true, description: 'The key, when a machine calls.', resolve: (viewer) => viewer.apiKeyId }),
    member: t.prismaField({
      type: MemberRef,
      nullable: true,
      description: 'The person, when a member calls.',
      resolve: (query, viewer, _args, ctx) => (viewer.member ? ctx.db.member.findFirst({ ...query, where: { id: viewer.member.id } }) : null),
    }),
    role: t.field({ type: MemberRoleEnum, nullable: true, description: "The member's role.", resolve: (viewer) => viewer.member?.role ?? null }),
    personalData: t.boolean({ description: 'Whether personal fields (names, e-mail, phone, open answers, review authors) are shown; false for VIEWER.', resolve: (viewer) => viewer.personalData }),
  }),
});

builder.queryFields((t) => ({
  viewer: t.field({
    type: ViewerRef,
    authScopes: { authenticated: true },
    description: 'Who is calling and what they may do.',
    resolve: (_root, _args, ctx) => ctx.viewer,
  }),
  workspace: t.prismaField({
    type: WorkspaceRef,
    authScopes: { authenticated: true },
    description: "The caller's workspace.",
    resolve: (query, _root, _args, ctx) => ctx.db.workspace.findUniqueOrThrow({ ...query, where: { id: ctx.viewer.workspaceId } }),
  }),
}));
