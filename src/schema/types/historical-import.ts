import { BulkImportRejectedError, NotFoundError, ValidationError } from '../../core/errors.js';
import { importHistoricalResponsesOrThrow, MAX_HISTORICAL_RESPONSES, type HistoricalImportResult } from '../../core/surveys/historical-import.js';
import { builder } from '../builder.js';
import { inputIdOrThrow } from '../ids.js';
import { mutationErrors } from '../mutation-result.js';
import { JourneyPhaseEnum } from './enums.js';
import { AnswerInput } from './survey-response.js';

const HistoricalResponseInput = builder.inputType('HistoricalResponseInput', {
  description: 'A response given in another tool, with its original times.',
  fields: (t) => ({
    externalId: t.string({ required: true, description: 'Its id in the other tool: importing it again changes nothing.' }),
    startedAt: t.field({ type: 'DateTime', required: true }),
    completedAt: t.field({ type: 'DateTime', description: 'Absent: the response was left unfinished.' }),
    customerExternalId: t.string({ description: 'The customer, by the external id of an imported customer.' }),
    businessUnitExternalId: t.string(),
    channel: t.string(),
    locale: t.string({ description: "Defaults to the survey's default language." }),
    journeyPhase: t.field({ type: JourneyPhaseEnum }),
    touchpointType: t.string(),
    answers: t.field({ type: [AnswerInput], required: true }),
  }),
});

const ImportResponsesInput = builder.inputType('ImportResponsesInput', {
  fields: (t) => ({
    surveyId: t.id({ required: true }),
    responses: t.field({ type: [HistoricalResponseInput], required: true, description: `Up to ${MAX_HISTORICAL_RESPONSES} per call.` }),
  }),
});

const HistoricalImportSummaryRef = builder.objectRef<HistoricalImportResult>('HistoricalImportSummary').implement({
  fields: (t) => ({
    created: t.exposeInt('created', { nullable: false }),
    alreadyImported: t.exposeInt('alreadyImported', { nullable: false, description: 'Responses whose external id was imported before: left as they are.' }),
    answers: t.exposeInt('answers', { nullable: false, description: 'Answers written with the new responses.' }),
  }),
});

builder.mutationField('importResponses', (t) =>
  t.field({
    type: HistoricalImportSummaryRef,
    authScopes: { write: 'responses' },
    description:
      'Brings past responses from another tool into a survey, with their original times, in one transaction: every bad record is reported and then nothing is written. ' +
      'Idempotent by external id. Imported answers raise no follow-ups, send no mail and emit no events; the metrics of their periods include them at once.',
    args: { input: t.arg({ type: ImportResponsesInput, required: true }) },
    errors: mutationErrors('ImportResponses', 'summary', [BulkImportRejectedError, NotFoundError, ValidationError]),
    resolve: (_root, { input }, ctx) => {
      const surveyId = inputIdOrThrow(String(input.surveyId), 'Survey', 'surveyId')!;
      const records = input.responses.map((response, index) => ({
        ...Object.fromEntries(Object.entries(response).filter(([, value]) => value !== null && value !== undefined)),
        answers: response.answers.map((answer, position) => ({
          ...Object.fromEntries(Object.entries(answer).filter(([, value]) => value !== null && value !== undefined)),
          questionId: inputIdOrThrow(String(answer.questionId), 'Question', `responses.${index}.answers.${position}.questionId`)!,
        })),
      }));
      return importHistoricalResponsesOrThrow(ctx.surveys.sql, ctx.viewer.workspaceId, surveyId, records, ctx.surveys.clock.now());
    },
  }),
);
