/**
 * NPS groups (domain.md): detractors 0-6, passives 7-8, promoters 9-10, no remapping. Defined
 * once; the formulas, the SQL that groups customers and the NPS-group segmentation model use this.
 */
export const NPS_GROUPS = {
  DETRACTORS: { min: 0, max: 6 },
  PASSIVES: { min: 7, max: 8 },
  PROMOTERS: { min: 9, max: 10 },
} as const;

export type NpsGroup = keyof typeof NPS_GROUPS;

export const NPS_GROUP_NAMES = Object.keys(NPS_GROUPS) as NpsGroup[];

export function npsGroupOf(score: number): NpsGroup {
  if (score >= NPS_GROUPS.PROMOTERS.min) return 'PROMOTERS';
  if (score >= NPS_GROUPS.PASSIVES.min) return 'PASSIVES';
  return 'DETRACTORS';
}

/**
 * The same as SQL over a score expression written in code (a column name such as `a.score`,
 * never input): `CASE WHEN a.score >= 9 THEN 'PROMOTERS' ... END`.
 */
export function npsGroupSql(score: string): string {
  return `CASE WHEN ${score} >= ${NPS_GROUPS.PROMOTERS.min} THEN 'PROMOTERS' WHEN ${score} >= ${NPS_GROUPS.PASSIVES.min} THEN 'PASSIVES' ELSE 'DETRACTORS' END`;
}

/** `a.score >= 9`: the score makes a promoter. */
export function isPromoterSql(score: string): string {
  return `${score} >= ${NPS_GROUPS.PROMOTERS.min}`;
}
