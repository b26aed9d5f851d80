import type { MeanDifference } from '../../../core/metrics/mean-difference.js';
import type { ProportionDifference } from '../../../core/metrics/proportion-difference.js';
import { builder } from '../../builder.js';

export const LowSampleSidesRef = builder.objectRef<{ a: boolean; b: boolean }>('LowSampleSides').implement({
  fields: (t) => ({ a: t.exposeBoolean('a'), b: t.exposeBoolean('b') }),
});

export const ProportionDifferenceRef = builder.objectRef<ProportionDifference>('ProportionDifference').implement({
  description: 'A difference of two shares with a pooled two-proportion z-test (which side is subtracted is said where it is used).',
  fields: (t) => ({
    difference: t.exposeFloat('difference', { nullable: true, description: 'In percentage points; null when a side has nothing to count.' }),
    z: t.exposeFloat('z', { nullable: true }),
    pValue: t.exposeFloat('pValue', { nullable: true, description: 'Two-sided.' }),
    significant: t.exposeBoolean('significant', { description: 'p < 0.05.' }),
    lowSample: t.field({ type: LowSampleSidesRef, description: 'A side with fewer than 50.', resolve: (difference) => difference.lowSample }),
  }),
});

export const MeanDifferenceRef = builder.objectRef<MeanDifference>('MeanDifference').implement({
  description: "Mean a - mean b with Welch's t-test (unequal variances).",
  fields: (t) => ({
    difference: t.exposeFloat('difference', { nullable: true }),
    t: t.exposeFloat('t', { nullable: true }),
    degreesOfFreedom: t.exposeFloat('degreesOfFreedom', { nullable: true, description: 'Welch-Satterthwaite.' }),
    pValue: t.exposeFloat('pValue', { nullable: true, description: 'Two-sided; null with fewer than 2 answers on a side or no variance.' }),
    significant: t.exposeBoolean('significant', { description: 'p < 0.05.' }),
    lowSample: t.field({ type: LowSampleSidesRef, description: 'A side with fewer than 50 answers.', resolve: (difference) => difference.lowSample }),
  }),
});
