import { encodeGlobalID } from '@pothos/plugin-relay';
import type { SurveyStats } from '../../core/surveys/survey-stats.js';
import { builder } from '../builder.js';
import { InvitationStatusEnum, SkipReasonEnum } from './survey-enums.js';

type Status = (typeof InvitationStatusEnum)['$inferType'];
type Reason = (typeof SkipReasonEnum)['$inferType'];

const StatusCountRef = builder.objectRef<{ status: string; count: number }>('InvitationStatusCount').implement({
  fields: (t) => ({ status: t.field({ type: InvitationStatusEnum, resolve: (row) => row.status as Status }), count: t.exposeInt('count', { nullable: false }) }),
});
const ReasonCountRef = builder.objectRef<{ reason: string; count: number }>('SkipReasonCount').implement({
  fields: (t) => ({ reason: t.field({ type: SkipReasonEnum, resolve: (row) => row.reason as Reason }), count: t.exposeInt('count', { nullable: false }) }),
});
export const DropOffRef = builder.objectRef<SurveyStats['dropOff'][number]>('QuestionDropOff').implement({
  description: 'How far respondents got. Skipped questions are not answers and are counted apart.',
  fields: (t) => ({
    questionId: t.id({ resolve: (row) => encodeGlobalID('Question', row.questionId) }),
    position: t.exposeInt('position', { nullable: false }),
    reached: t.exposeInt('reached', { nullable: false, description: 'Responses that answered or skipped this question.' }),
    answered: t.exposeInt('answered', { nullable: false }),
    skipped: t.exposeInt('skipped', { nullable: false }),
    abandoned: t.exposeInt('abandoned', { nullable: false, description: 'Incomplete responses whose last answer is this question.' }),
    dropOffRate: t.exposeFloat('dropOffRate', { nullable: true, description: 'abandoned / reached x 100; null when nobody reached it.' }),
  }),
});

export const SurveyStatsRef = builder.objectRef<SurveyStats>('SurveyStats').implement({
  fields: (t) => ({
    byStatus: t.field({ type: [StatusCountRef], resolve: (stats) => stats.byStatus }),
    skippedByReason: t.field({ type: [ReasonCountRef], resolve: (stats) => stats.skippedByReason }),
    delivered: t.exposeInt('delivered', { nullable: false, description: 'Invitations that reached the customer: sent or later, without bounces and failures.' }),
    started: t.exposeInt('started', { nullable: false }),
    completed: t.exposeInt('completed', { nullable: false }),
    responseRate: t.exposeFloat('responseRate', { nullable: true, description: 'completed / delivered x 100; null when nothing was delivered.' }),
    dropOff: t.field({ type: [DropOffRef], resolve: (stats) => stats.dropOff }),
  }),
});
