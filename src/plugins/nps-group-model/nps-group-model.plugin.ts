import { definePlugin, NPS_GROUPS, z, type SegmentationModel } from '../../core/plugin-sdk/index.js';

const parameters = z.object({ group: z.enum(['PROMOTERS', 'PASSIVES', 'DETRACTORS']), surveyId: z.uuid().optional() }).strict();

/** Promoters, passives or detractors by each customer's latest NPS answer (optionally of one survey). */
export const npsGroupModel: SegmentationModel<z.output<typeof parameters>> = {
  code: 'nps-group',
  description: 'Promoters (9-10), passives (7-8) or detractors (0-6) by the customer’s latest NPS answer, optionally to one survey.',
  settingsSchema: parameters,
  capabilities: ['explain'],
  membership({ group, surveyId }, { eb, now }) {
    const { min: low, max: high } = NPS_GROUPS[group];
    let latest = eb
      .selectFrom('answers')
      .select('answers.score')
      .whereRef('answers.customerId', '=', 'customer.id')
      .where('answers.questionType', '=', 'NPS')
      .where('answers.score', 'is not', null)
      .where('answers.skipped', '=', false)
      .where('answers.answeredAt', '<=', now);
    if (surveyId) latest = latest.where('answers.surveyId', '=', surveyId);
    return eb.between(latest.orderBy('answers.answeredAt', 'desc').limit(1), low, high);
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
