import { encodeGlobalID } from '@pothos/plugin-relay';
import type { AbResults, VariantResult } from '../../core/surveys/ab-results.js';
import { builder } from '../builder.js';
import { ScoreCountRef } from './metrics/nps-metric.js';
import { ProportionDifferenceRef } from './metrics/differences.js';

const VariantScoresRef = builder.objectRef<NonNullable<VariantResult['firstQuestion']>>('VariantScores').implement({
  description: 'Answers to the first question in one variant, complete responses or not.',
  fields: (t) => ({
    responses: t.exposeInt('responses'),
    mean: t.exposeFloat('mean', { nullable: true }),
    nps: t.exposeFloat('nps', { nullable: true, description: 'NPS of these answers when the first question is an NPS question.' }),
    goodShare: t.exposeFloat('goodShare', { nullable: true, description: 'CSAT (4-5) or CES agreement (5-7) share x 100; null for other scales.' }),
    distribution: t.field({ type: [ScoreCountRef], resolve: (scores) => scores.distribution }),
    lowSample: t.exposeBoolean('lowSample', { description: 'Fewer than 50 answers.' }),
  }),
});

const VariantResultRef = builder.objectRef<VariantResult>('SurveyVariantResult').implement({
  description: 'One variant of the A/B test: A sends a button, B embeds the first question in the message.',
  fields: (t) => ({
    variant: t.exposeString('variant', { description: '"A" or "B".' }),
    sent: t.exposeInt('sent', { description: 'Invitations sent in this variant.' }),
    delivered: t.exposeInt('delivered', { description: 'Sent, without bounces and failures.' }),
    started: t.exposeInt('started'),
    completed: t.exposeInt('completed'),
    responseRate: t.exposeFloat('responseRate', { nullable: true, description: 'completed / delivered x 100.' }),
    completionRate: t.exposeFloat('completionRate', { nullable: true, description: 'completed / started x 100.' }),
    firstQuestion: t.field({ type: VariantScoresRef, nullable: true, description: 'Scores of the first question; null when it has no scale.', resolve: (row) => row.firstQuestion }),
  }),
});

export const SurveyAbResultsRef = builder.objectRef<AbResults>('SurveyAbResults').implement({
  description: 'The A/B test of a survey (embedFirstQuestionPercent): funnel, rates and first-question scores per variant.',
  fields: (t) => ({
    questionId: t.id({
      nullable: true,
      description: 'The first question, the one variant B embeds.',
      resolve: (results) => (results.questionId ? encodeGlobalID('Question', results.questionId) : null),
    }),
    variants: t.field({ type: [VariantResultRef], resolve: (results) => results.variants }),
    responseRateDifference: t.field({ type: ProportionDifferenceRef, description: 'Response rate of B minus A.', resolve: (results) => results.responseRateDifference }),
  }),
});
