import { Z_95 } from './normal-distribution.js';
import { NPS_GROUPS, type NpsGroup } from './score-groups.js';
import { isLowSample } from './low-sample.js';

export interface GroupShare {
  count: number;
  /** Share of all answers, 0-100. */
  share: number;
}

export interface NpsResult {
  /** Answers counted (0-10 scores; skipped questions are not answers). */
  responses: number;
  /** %promoters - %detractors, -100 to 100; null without answers. */
  score: number | null;
  promoters: GroupShare;
  passives: GroupShare;
  detractors: GroupShare;
  /** Count and share of each score 0-10. */
  distribution: Array<{ score: number; count: number; share: number }>;
  /** Half-width of the 95% confidence interval, in NPS points; null without answers. */
  marginOfError: number | null;
  lowSample: boolean;
}

const share = (count: number, total: number) => (total === 0 ? 0 : (count / total) * 100);

/**
 * NPS from the number of answers per score 0-10 (index = score). Detractors 0-6, passives 7-8,
 * promoters 9-10; no remapping. Margin of error: 1.96 x sqrt((p + d - (p - d)^2) / n) x 100.
 */
export function nps(countsByScore: readonly number[]): NpsResult {
  if (countsByScore.length !== 11) throw new RangeError('NPS needs 11 counts, for the scores 0 to 10');
  const n = countsByScore.reduce((sum, count) => sum + count, 0);
  const inGroup = (group: NpsGroup) => countsByScore.slice(NPS_GROUPS[group].min, NPS_GROUPS[group].max + 1).reduce((sum, count) => sum + count, 0);
  const detractors = inGroup('DETRACTORS');
  const passives = inGroup('PASSIVES');
  const promoters = inGroup('PROMOTERS');
  const p = n === 0 ? 0 : promoters / n;
  const d = n === 0 ? 0 : detractors / n;
  return {
    responses: n,
    score: n === 0 ? null : (p - d) * 100,
    promoters: { count: promoters, share: share(promoters, n) },
    passives: { count: passives, share: share(passives, n) },
    detractors: { count: detractors, share: share(detractors, n) },
    distribution: countsByScore.map((count, score) => ({ score, count, share: share(count, n) })),
    marginOfError: n === 0 ? null : Z_95 * Math.sqrt(npsVariance(p, d) / n) * 100,
    lowSample: isLowSample('NPS', n),
  };
}

/** Variance of one answer's NPS contribution (+1 promoter, 0 passive, -1 detractor). */
export function npsVariance(promoterShare: number, detractorShare: number): number {
  return promoterShare + detractorShare - (promoterShare - detractorShare) ** 2;
}
