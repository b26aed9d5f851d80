import { definePlugin, NPS_GROUPS, sql, z, type SegmentationModel } from '../../core/plugin-sdk/index.js';

const parameters = z.object({ group: z.enum(['PROMOTERS', 'PASSIVES', 'DETRACTORS']), surveyId: z.uuid().optional() }).strict();

/** Promoters, passives or detractors by each customer's latest NPS answer (optionally of one survey). */
export const npsGroupModel: SegmentationModel<z.output<typeof parameters>> = {
  code: 'nps-group',
  description: 'Promoters (9-10), passives (7-8) or detractors (0-6) by the customer’s latest NPS answer, optionally to one survey.',
  settingsSchema: parameters,
  capabilities: ['explain'],
  membershipCondition({ group, surveyId }, { workspaceId, now }) {
    const { min: low, max: high } = NPS_GROUPS[group];
    const survey = surveyId ? sql`AND r."surveyId" = ${surveyId}::uuid` : sql``;
    return sql`(SELECT a.score FROM "Answer" a JOIN "SurveyResponse" r ON r.id = a."responseId" JOIN "Question" q ON q.id = a."questionId"
                 WHERE a."workspaceId" = ${workspaceId}::uuid AND r."customerId" = c.id AND q.type = 'NPS' AND a.score IS NOT NULL AND NOT a.skipped
                   AND a."answeredAt" <= ${now} ${survey}
                 ORDER BY a."answeredAt" DESC LIMIT 1) BETWEEN ${low} AND ${high}`;
  },
  explain: ({ group, surveyId }) => [`latest NPS answer${surveyId ? ' to the survey' : ''} makes the customer one of the ${group.toLowerCase()}`],
};

export function createNpsGroupModelPlugin(options: unknown = {}) {
  return definePlugin({
    name: 'nps-group-model',
    version: '1.0.0',
    options,
    optionsSchema: z.object({}).strict(),
    setup: () => ({ segmentationModels: [npsGroupModel as SegmentationModel<unknown>] }),
  });
}
