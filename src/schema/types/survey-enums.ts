import { QUESTION_TYPES, SURVEY_KINDS } from '../../core/surveys/survey.input.js';
import { INVITATION_STATUSES } from '../../core/surveys/invitation-states.js';
import { builder } from '../builder.js';

export const SurveyKindEnum = builder.enumType('SurveyKind', { description: 'NPS, CSAT, CES or a custom questionnaire.', values: SURVEY_KINDS });
export const SurveyStatusEnum = builder.enumType('SurveyStatus', {
  description: 'DRAFT (being written), ACTIVE (invitations go out), CLOSED (no new invitations or answers).',
  values: ['DRAFT', 'ACTIVE', 'CLOSED'] as const,
});
export const QuestionTypeEnum = builder.enumType('QuestionType', {
  description: 'NPS (0-10), CSAT (1-5), CES (1-7), RATING (own scale), SINGLE_CHOICE, MULTIPLE_CHOICE, OPEN_TEXT.',
  values: QUESTION_TYPES,
});
export const InvitationStatusEnum = builder.enumType('InvitationStatus', {
  description: 'Lifecycle of an invitation. SKIPPED carries a skipReason; REMINDED means the one reminder went out and nothing was opened since.',
  values: INVITATION_STATUSES,
});
export const SkipReasonEnum = builder.enumType('SkipReason', {
  description: 'Why an invitation was not sent: the contact-pressure cap, missing consent, an unsubscribe, a moment too long ago, no usable channel, no address, or a survey no longer active.',
  values: ['CONTACT_CAP', 'NO_CONSENT', 'UNSUBSCRIBED', 'TOO_OLD', 'NO_CHANNEL', 'NO_ADDRESS', 'SURVEY_NOT_ACTIVE'] as const,
});
export const ResponseSourceEnum = builder.enumType('ResponseSource', {
  description: 'Where the answers were given: the survey page, the website widget, an app, by phone (an agent), through the API, or imported from another tool with their original dates.',
  values: ['PAGE', 'WIDGET', 'IN_APP', 'PHONE', 'API', 'IMPORT'] as const,
});
