import { builder } from '../../builder.js';
import { JourneyPhaseEnum } from '../enums.js';

export const DateRangeInput = builder.inputType('DateRange', {
  description: 'Calendar days in the workspace time zone; `from` inclusive, `to` exclusive.',
  fields: (t) => ({ from: t.field({ type: 'LocalDate', required: true }), to: t.field({ type: 'LocalDate', required: true }) }),
});

export const CustomerAttributeFilterInput = builder.inputType('CustomerAttributeFilter', {
  description: 'Only answers and customers with these attributes (always computed live, not from rollups).',
  fields: (t) => ({
    country: t.string(),
    province: t.string(),
    city: t.string(),
    ageBand: t.string(),
    gender: t.string(),
    incomeBand: t.string(),
    locale: t.string(),
    attributes: t.field({ type: 'JSONObject', description: 'Free-form attributes the customer must have (JSON containment).' }),
  }),
});

export const SegmentMembershipTimeEnum = builder.enumType('SegmentMembershipTime', { values: ['CURRENT', 'AT_RESPONSE'] as const });

export const MetricsFilterInput = builder.inputType('MetricsFilter', {
  fields: (t) => ({
    period: t.field({ type: DateRangeInput, required: true }),
    surveyIds: t.idList(),
    questionIds: t.idList(),
    businessUnitIds: t.idList(),
    channels: t.stringList(),
    journeyPhases: t.field({ type: [JourneyPhaseEnum] }),
    touchpointTypes: t.stringList(),
    customer: t.field({ type: CustomerAttributeFilterInput }),
    segmentIds: t.idList({ description: 'Only customers in any of these segments (computed live).' }),
    segmentMembership: t.field({ type: SegmentMembershipTimeEnum, description: 'CURRENT (default): members now. AT_RESPONSE: members when they answered (score metrics).' }),
  }),
});

export const TimeBucketEnum = builder.enumType('TimeBucket', {
  values: ['DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR'] as const,
  description: 'Buckets in the workspace time zone; weeks start on Monday.',
});
export const MetricDimensionEnum = builder.enumType('MetricDimension', {
  values: ['SURVEY', 'BUSINESS_UNIT', 'CHANNEL', 'JOURNEY_PHASE', 'TOUCHPOINT_TYPE', 'SEGMENT'] as const,
  description: 'SEGMENT needs filter.segmentIds; an answer counts in each listed segment its customer is in.',
});
export const MetricSourceEnum = builder.enumType('MetricSource', {
  description: 'Where the counts came from: the month or day rollups, or the answers themselves (LIVE). The numbers are the same.',
  values: ['ROLLUP_MONTH', 'ROLLUP_DAY', 'LIVE'] as const,
});
