import type { Prisma } from '../../generated/prisma/client.js';
import { builder } from '../builder.js';
import { findPage } from '../keyset.js';
import { listReads } from '../compiled-reads.js';
import { plannedConnection } from '../planned-reads/planned-list.js';
import { checkedMaxSize } from '../connection-size.js';
import { idOfOrThrow } from '../ids.js';
import { encodeGlobalID } from '@pothos/plugin-relay';

const AuditEntryRef = builder.prismaObject('AuditEntry', {
  description: 'One write through the API or the CLI, or one export of personal data. It holds ids and codes, never personal values.',
  fields: (t) => ({
    id: t.exposeID('id'),
    occurredAt: t.expose('occurredAt', { type: 'DateTime' }),
    actorType: t.exposeString('actorType', { description: 'API_KEY, MEMBER (a person signed in through the identity provider), CLI or RETENTION (the daily retention job).' }),
    member: t.relation('member', { nullable: true, description: 'The member who acted (actorType MEMBER).' }),
    apiKeyId: t.id({ nullable: true, resolve: (entry) => (entry.apiKeyId ? encodeGlobalID('ApiKey', entry.apiKeyId) : null) }),
    operation: t.exposeString('operation', { description: 'The mutation or query field, or the CLI command.' }),
    targetIds: t.exposeStringList('targetIds', { description: 'Global ids the operation named or created.' }),
    outcome: t.exposeString('outcome', { description: 'OK, or the error code (VALIDATION_FAILED, NOT_FOUND, FORBIDDEN ...).' }),
    requestId: t.exposeString('requestId', { nullable: true, description: 'The x-request-id of the call, as in the access log.' }),
  }),
});

const AuditLogFilter = builder.inputType('AuditLogFilter', {
  fields: (t) => ({
    operation: t.string(),
    apiKeyId: t.id(),
    memberId: t.id(),
    targetId: t.id({ description: 'Entries that named or created this object.' }),
    from: t.field({ type: 'DateTime' }),
    to: t.field({ type: 'DateTime', description: 'Exclusive.' }),
  }),
});

builder.queryField('auditLog', (t) =>
  plannedConnection(t)({
    type: AuditEntryRef,
    cursor: 'id',
    maxSize: checkedMaxSize,
    authScopes: { admin: true },
    description: 'Who did what: every write through the API or CLI and every export, newest first (admins only).',
    args: { filter: t.arg({ type: AuditLogFilter }) },
    resolve: (query, _root, { filter }, ctx) => findPage(listReads(ctx, 'auditEntry'), query, { where: auditWhere(filter), orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }] }),
    totalCount: (_root, { filter }, ctx) => ctx.db.auditEntry.count({ where: auditWhere(filter) }),
  }),
);

function auditWhere(filter: typeof AuditLogFilter.$inferInput | null | undefined): Prisma.AuditEntryWhereInput {
  return {
    ...(filter?.operation ? { operation: filter.operation } : {}),
    ...(filter?.apiKeyId ? { apiKeyId: idOfOrThrow(String(filter.apiKeyId), 'ApiKey') } : {}),
    ...(filter?.memberId ? { memberId: idOfOrThrow(String(filter.memberId), 'Member') } : {}),
    ...(filter?.targetId ? { targetIds: { has: String(filter.targetId) } } : {}),
    ...(filter?.from || filter?.to ? { occurredAt: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } } : {}),
  };
}
