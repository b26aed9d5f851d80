import { builder } from '../../builder.js';
import { BusinessUnitRef } from '../business-unit.js';
import { SurveyRef } from '../survey.js';
import { metricsScope, MetricsRef, toMetricsFilter } from './metrics.js';
import { DateRangeInput } from './metrics-filter.input.js';

/** The same metrics on the objects they describe: a survey's or a business unit's own slice. */
builder.objectField(SurveyRef, 'metrics', (t) =>
  t.field({
    type: MetricsRef,
    authScopes: { read: 'metrics' },
    args: { period: t.arg({ type: DateRangeInput, required: true }) },
    resolve: (survey, { period }, ctx) => metricsScope(ctx, { ...toMetricsFilter({ period }, ['period']), surveyIds: [survey.id] }),
  }),
);

builder.objectField(BusinessUnitRef, 'metrics', (t) =>
  t.field({
    type: MetricsRef,
    authScopes: { read: 'metrics' },
    args: { period: t.arg({ type: DateRangeInput, required: true }) },
    resolve: (unit, { period }, ctx) => metricsScope(ctx, { ...toMetricsFilter({ period }, ['period']), businessUnitIds: [unit.id] }),
  }),
);
