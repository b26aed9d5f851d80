import { sql } from 'kysely';
import { db, run } from '../../db/kysely.js';
import type { SqlRunner } from '../../db/sql-runner.js';
import { ces } from '../metrics/ces.js';
import { csat } from '../metrics/csat.js';
import { nps } from '../metrics/nps.js';
import { percentage } from '../metrics/ratio.js';
import { proportionDifference, type ProportionDifference } from '../metrics/proportion-difference.js';
import { responseRate } from '../metrics/response-rate.js';
import { scaleSummary, type ScaleSummary } from '../metrics/scale-summary.js';
import { funnelColumns } from './survey-stats.js';

/** A: the invitation with a button; B: the first question embedded in the message. */
export const VARIANTS = ['A', 'B'] as const;

export interface VariantResult {
  variant: (typeof VARIANTS)[number];
  /** Invitations sent in this variant. */
  sent: number;
  /** Sent and not bounced or failed. */
  delivered: number;
  started: number;
  completed: number;
  /** completed / delivered x 100. */
  responseRate: number | null;
  /** completed / started x 100: of those who began, how many finished. */
  completionRate: number | null;
  /** Answers to the first question (the one variant B embeds), complete responses or not. */
  firstQuestion: (Omit<ScaleSummary, 'goodShare'> & { goodShare: number | null; nps: number | null }) | null;
}

export interface AbResults {
  /** The first question's id, when it has a scale. */
  questionId: string | null;
  variants: VariantResult[];
  /** Response rate of B minus A, with a pooled two-proportion z-test. */
  responseRateDifference: ProportionDifference;
}

/**
 * The A/B test of a survey: per variant, the funnel (sent, delivered, started, completed), the
 * response and completion rates, and the scores of the first question. The first question's
 * answers are counted whether or not the response was completed: variant B stores a score clicked
 * in the mail at once, and counting only completed responses would hide what it exists to win.
 */
export async function surveyAbResults(runner: SqlRunner, workspaceId: string, surveyId: string): Promise<AbResults> {
  const { funnel, scaled, scores } = await runner.session(async (conn) => {
    const funnel = await run(
      conn,
      db
        .selectFrom('Invitation')
        .select(['variant', sql<number>`count(*) FILTER (WHERE "sentAt" IS NOT NULL)::int`.as('sent'), ...funnelColumns()])
        .where('workspaceId', '=', workspaceId)
        .where('surveyId', '=', surveyId)
        .groupBy('variant'),
    );
    const [first] = await run(
      conn,
      db
        .selectFrom('Question')
        .select(['id', sql<string>`type::text`.as('type'), 'scaleMin', 'scaleMax'])
        .where('workspaceId', '=', workspaceId)
        .where('surveyId', '=', surveyId)
        .where('retiredAt', 'is', null)
        .orderBy('position')
        .limit(1),
    );
    const scaled = first && first.scaleMin !== null && first.scaleMax !== null ? { ...first, scaleMin: first.scaleMin, scaleMax: first.scaleMax } : null;
    const scores = scaled
      ? await run(
          conn,
          db
            .selectFrom('Answer as a')
            .innerJoin('SurveyResponse as r', 'r.id', 'a.responseId')
            .innerJoin('Invitation as i', 'i.id', 'r.invitationId')
            .select(['i.variant', sql<number>`a.score`.as('score'), sql<number>`count(*)::int`.as('count')])
            .where('a.workspaceId', '=', workspaceId)
            .where('a.questionId', '=', scaled.id)
            .where('a.score', 'is not', null)
            .where('a.skipped', '=', false)
            .groupBy(['i.variant', 'a.score']),
        )
      : [];
    return { funnel, scaled, scores };
  });
  const variants = VARIANTS.map((variant): VariantResult => {
    const row = funnel.find((entry) => entry.variant === variant) ?? { sent: 0, delivered: 0, started: 0, completed: 0 };
    let firstQuestion: VariantResult['firstQuestion'] = null;
    if (scaled) {
      const counts = Array.from(
        { length: scaled.scaleMax - scaled.scaleMin + 1 },
        (_, index) => scores.find((entry) => entry.variant === variant && entry.score === scaled.scaleMin + index)?.count ?? 0,
      );
      const plain = scaleSummary(counts, scaled.scaleMin, Number.POSITIVE_INFINITY);
      // The good share of the standard scales, as in the metrics; other scales have none.
      const summary = scaled.type === 'CSAT' ? csat(counts) : scaled.type === 'CES' ? ces(counts) : { ...plain, goodShare: null };
      firstQuestion = { ...summary, nps: scaled.type === 'NPS' ? nps(counts).score : null };
    }
    return {
      variant,
      sent: row.sent,
      delivered: row.delivered,
      started: row.started,
      completed: row.completed,
      responseRate: responseRate(row.completed, row.delivered),
      completionRate: percentage(row.completed, row.started),
      firstQuestion,
    };
  });
  const [a, b] = variants as [VariantResult, VariantResult];
  return {
    questionId: scaled?.id ?? null,
    variants,
    responseRateDifference: proportionDifference({ count: a.completed, total: a.delivered }, { count: b.completed, total: b.delivered }),
  };
}
