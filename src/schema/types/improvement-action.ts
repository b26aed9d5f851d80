import { createActionOrThrow, linkFeedbackOrThrow, publishActionOrThrow, updateActionOrThrow, youSaidWeDid } from '../../core/actions/improvement-action.service.js';
import { builder } from '../builder.js';
import { findPage } from '../keyset.js';
import { checkedMaxSize } from '../connection-size.js';
import { idOfOrThrow, inputIdOrThrow } from '../ids.js';
import { mutationErrors } from '../mutation-result.js';

const ImprovementStatusEnum = builder.enumType('ImprovementStatus', { values: ['PROPOSED', 'PLANNED', 'IN_PROGRESS', 'DONE', 'DROPPED'] as const });

const ImprovementActionRef = builder.prismaNode('ImprovementAction', {
  id: { field: 'id' },
  nullable: true,
  authScopes: { read: 'surveys' },
  description: 'An improvement motivated by feedback. Done and published ones show on the survey thank-you page ("you said, we did").',
  fields: (t) => ({
    title: t.exposeString('title'),
    description: t.exposeString('description', { nullable: true }),
    impact: t.exposeInt('impact', { description: '1 (small) to 5 (large).' }),
    effort: t.exposeInt('effort', { description: '1 (little) to 5 (a lot).' }),
    priority: t.exposeInt('priority', { description: 'impact x (6 - effort), 1-25: big wins that cost little first.' }),
    ownerName: t.exposeString('ownerName', { nullable: true }),
    ownerEmail: t.exposeString('ownerEmail', { nullable: true }),
    actedBy: t.relation('actedBy', { nullable: true, description: 'The member who last changed it, when a person acted.' }),
    status: t.expose('status', { type: ImprovementStatusEnum }),
    doneAt: t.expose('doneAt', { type: 'DateTime', nullable: true }),
    publicTexts: t.expose('publicTexts', { type: 'JSONObject', description: 'Per locale: { "nl": { "said": "...", "did": "..." } }.' }),
    publishedAt: t.expose('publishedAt', { type: 'DateTime', nullable: true }),
    feedbackCount: t.relationCount('feedback'),
    feedback: t.prismaField({
      type: ['FollowUp'],
      description: 'The follow-ups (and so the responses and reviews) that motivated it.',
      resolve: (query, action, _args, ctx) => ctx.db.followUp.findMany({ ...query, where: { feedbackFor: { some: { actionId: action.id } } }, orderBy: { createdAt: 'asc' } }),
    }),
  }),
});

const YouSaidWeDidRef = builder.objectRef<{ said: string; did: string; doneAt: Date | null }>('YouSaidWeDid').implement({
  fields: (t) => ({ said: t.exposeString('said'), did: t.exposeString('did'), doneAt: t.expose('doneAt', { type: 'DateTime', nullable: true }) }),
});

builder.queryFields((t) => ({
  improvementActions: t.prismaConnection({
    type: 'ImprovementAction',
    cursor: 'id',
    maxSize: checkedMaxSize,
    authScopes: { read: 'surveys' },
    description: 'Highest priority first.',
    args: { statuses: t.arg({ type: [ImprovementStatusEnum] }) },
    resolve: (query, _root, args, ctx) =>
      findPage(ctx.db.improvementAction, query, { where: args.statuses ? { status: { in: args.statuses } } : {}, orderBy: [{ priority: 'desc' }, { createdAt: 'asc' }, { id: 'asc' }] }),
    totalCount: (_root, args, ctx) => ctx.db.improvementAction.count({ where: args.statuses ? { status: { in: args.statuses } } : {} }),
  }),
  topImprovementActions: t.prismaField({
    type: ['ImprovementAction'],
    authScopes: { read: 'surveys' },
    description: 'The ten open actions (not done or dropped) with the highest priority.',
    resolve: (query, _root, _args, ctx) =>
      ctx.db.improvementAction.findMany({
        ...query,
        where: { status: { in: ['PROPOSED', 'PLANNED', 'IN_PROGRESS'] } },
        orderBy: [{ priority: 'desc' }, { createdAt: 'asc' }, { id: 'asc' }],
        take: 10,
      }),
  }),
  youSaidWeDid: t.field({
    type: [YouSaidWeDidRef],
    authScopes: { read: 'surveys' },
    description: 'Published done actions in one language (else any), newest first: what the thank-you page shows.',
    args: { locale: t.arg.string({ required: true }), first: t.arg.int({ defaultValue: 10 }) },
    resolve: (_root, args, ctx) => youSaidWeDid(ctx.surveys.sql, ctx.viewer.workspaceId, args.locale, Math.min(50, Math.max(1, args.first ?? 10))),
  }),
}));

const CreateImprovementActionInput = builder.inputType('CreateImprovementActionInput', {
  fields: (t) => ({
    title: t.string({ required: true }),
    description: t.string(),
    impact: t.int({ required: true }),
    effort: t.int({ required: true }),
    ownerName: t.string(),
    ownerEmail: t.string(),
    publicTexts: t.field({ type: 'JSONObject' }),
    followUpIds: t.idList({ description: 'Feedback that motivated it.' }),
  }),
});
const UpdateImprovementActionInput = builder.inputType('UpdateImprovementActionInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    title: t.string(),
    description: t.string(),
    impact: t.int(),
    effort: t.int(),
    ownerName: t.string(),
    ownerEmail: t.string(),
    status: t.field({ type: ImprovementStatusEnum }),
    publicTexts: t.field({ type: 'JSONObject' }),
  }),
});
const LinkFeedbackInput = builder.inputType('LinkFeedbackToActionInput', { fields: (t) => ({ id: t.id({ required: true }), followUpIds: t.idList({ required: true }) }) });
const PublishInput = builder.inputType('PublishImprovementActionInput', { fields: (t) => ({ id: t.id({ required: true }), publish: t.boolean({ defaultValue: true }) }) });

const followUpIdsOf = (ids: Array<string | number> | null | undefined) => (ids ?? []).map((id, index) => inputIdOrThrow(String(id), 'FollowUp', `followUpIds.${index}`)!);

builder.mutationFields((t) => ({
  createImprovementAction: t.field({
    type: ImprovementActionRef,
    authScopes: { write: 'follow-ups' },
    args: { input: t.arg({ type: CreateImprovementActionInput, required: true }) },
    errors: mutationErrors('CreateImprovementAction', 'action'),
    resolve: async (_root, { input: { followUpIds, ...fields } }, ctx) => {
      const ids = followUpIdsOf(followUpIds);
      const action = await createActionOrThrow(ctx.db, fields, ctx.viewer.member?.id ?? null);
      return ids.length ? linkFeedbackOrThrow(ctx.db, action.id, ids) : action;
    },
  }),
  updateImprovementAction: t.field({
    type: ImprovementActionRef,
    authScopes: { write: 'follow-ups' },
    description: 'Changing status away from DONE unpublishes the action.',
    args: { input: t.arg({ type: UpdateImprovementActionInput, required: true }) },
    errors: mutationErrors('UpdateImprovementAction', 'action'),
    resolve: (_root, { input: { id, ...patch } }, ctx) => updateActionOrThrow(ctx.db, idOfOrThrow(String(id), 'ImprovementAction'), patch, ctx.surveys.clock.now(), ctx.viewer.member?.id ?? null),
  }),
  linkFeedbackToAction: t.field({
    type: ImprovementActionRef,
    authScopes: { write: 'follow-ups' },
    args: { input: t.arg({ type: LinkFeedbackInput, required: true }) },
    errors: mutationErrors('LinkFeedbackToAction', 'action'),
    resolve: (_root, { input }, ctx) => linkFeedbackOrThrow(ctx.db, idOfOrThrow(String(input.id), 'ImprovementAction'), followUpIdsOf(input.followUpIds)),
  }),
  publishImprovementAction: t.field({
    type: ImprovementActionRef,
    authScopes: { write: 'follow-ups' },
    description: 'Shows (or hides) a done action on the thank-you page as "you said, we did".',
    args: { input: t.arg({ type: PublishInput, required: true }) },
    errors: mutationErrors('PublishImprovementAction', 'action'),
    resolve: (_root, { input }, ctx) => publishActionOrThrow(ctx.db, idOfOrThrow(String(input.id), 'ImprovementAction'), input.publish ?? true, ctx.surveys.clock.now(), ctx.viewer.member?.id ?? null),
  }),
}));
