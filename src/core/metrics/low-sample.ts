/** Below these counts a figure is flagged as a low sample: 100 for NPS, 50 for single-number scores. */
export const LOW_SAMPLE_BELOW = { NPS: 100, SINGLE: 50 } as const;

export function isLowSample(kind: 'NPS' | 'SINGLE', responses: number): boolean {
  return responses < LOW_SAMPLE_BELOW[kind];
}
