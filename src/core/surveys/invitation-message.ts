import { formatFullName } from '../customers/format-name.js';
import { wordsFor, type Language } from '../i18n/languages.js';
import type { Brand } from '../workspaces/branding.js';
import type { SurveyInvitationMessage } from '../plugin-sdk/survey-channel.js';
import { salutationLine, type SalutationCustomer } from './salutation.js';
import { scaleAnchors } from './scale-anchors.js';
import { fillQuestionText, formatDate, renderTexts, textsFor, type PlaceholderValues, type SurveyTexts } from './survey-texts.js';

export interface MessageFacts {
  invitation: { id: string; token: string; locale: string; variant: string };
  survey: { texts: unknown; defaultLocale: string };
  customer: SalutationCustomer & { email: string | null; phone: string | null };
  touchpoint: { occurredAt: Date; subject: string | null } | null;
  orderLines: unknown;
  businessUnitName: string | null;
  workspace: { timeZone: string; brand: Brand };
  firstQuestion: { type: string; texts: unknown; scaleMin: number | null; scaleMax: number | null } | null;
  publicUrl: string;
  isReminder: boolean;
  canEmbed: boolean;
}

/** The subject of the moment measured: the touchpoint's own words, else the first order line's product name. */
function subjectOf(facts: Pick<MessageFacts, 'touchpoint' | 'orderLines'>): string | null {
  if (facts.touchpoint?.subject) return facts.touchpoint.subject;
  const first = Array.isArray(facts.orderLines) ? (facts.orderLines[0] as { name?: unknown } | undefined) : undefined;
  return typeof first?.name === 'string' ? first.name : null;
}

export function placeholderValues(facts: Pick<MessageFacts, 'touchpoint' | 'orderLines' | 'customer' | 'businessUnitName' | 'workspace'>, locale: string): PlaceholderValues {
  return {
    subject: subjectOf(facts),
    date: facts.touchpoint ? formatDate(facts.touchpoint.occurredAt, locale, facts.workspace.timeZone) : null,
    firstName: facts.customer.firstName,
    businessUnit: facts.businessUnitName,
    company: facts.workspace.brand.companyName,
  };
}

export function surveyUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/$/, '')}/s/${token}`;
}

export function renderedTexts(facts: Pick<MessageFacts, 'survey' | 'touchpoint' | 'orderLines' | 'customer' | 'businessUnitName' | 'workspace'>, locale: string): SurveyTexts {
  return renderTexts(textsFor(facts.survey.texts as Record<string, Partial<SurveyTexts>>, locale, facts.survey.defaultLocale), placeholderValues(facts, locale), locale);
}

/** Question text in a locale, with the survey's fallback locale and then any locale as fallbacks. */
export function localized<T>(byLocale: unknown, locale: string, fallback: string): T | null {
  const record = (byLocale ?? {}) as Record<string, T>;
  return record[locale] ?? record[locale.split('-')[0]!] ?? record[fallback] ?? Object.values(record)[0] ?? null;
}

/** The fixed words of a survey mail's footer, per language. */
const MESSAGE_WORDS: Record<Language, Pick<SurveyInvitationMessage, 'unsubscribePrompt' | 'unsubscribeLabel'>> = {
  nl: { unsubscribePrompt: 'Liever geen vragenlijsten meer?', unsubscribeLabel: 'Afmelden' },
  en: { unsubscribePrompt: 'Rather not receive surveys?', unsubscribeLabel: 'Unsubscribe' },
  de: { unsubscribePrompt: 'Lieber keine Umfragen mehr?', unsubscribeLabel: 'Abmelden' },
  fr: { unsubscribePrompt: 'Vous ne souhaitez plus recevoir de questionnaires ?', unsubscribeLabel: 'Se désinscrire' },
};

/** Everything a channel needs for one invitation or its reminder, in the invitation's locale. */
export function buildInvitationMessage(facts: MessageFacts): SurveyInvitationMessage {
  const locale = facts.invitation.locale;
  const texts = renderedTexts(facts, locale);
  const url = surveyUrl(facts.publicUrl, facts.invitation.token);
  const message: SurveyInvitationMessage = {
    invitationId: facts.invitation.id,
    surveyUrl: url,
    unsubscribeUrl: `${url}/unsubscribe`,
    locale,
    recipient: { name: formatFullName(facts.customer), salutationLine: salutationLine(facts.customer, locale), email: facts.customer.email, phone: facts.customer.phone },
    subject: facts.isReminder ? texts.reminderSubject : texts.subject,
    reason: texts.reason,
    whyWeAsk: texts.whyWeAsk,
    duration: texts.duration,
    signature: texts.signature,
    buttonLabel: texts.buttonLabel,
    isReminder: facts.isReminder,
    brand: facts.workspace.brand,
    ...wordsFor(MESSAGE_WORDS, locale),
  };
  const question = facts.firstQuestion;
  if (facts.invitation.variant === 'B' && facts.canEmbed && question && question.scaleMin !== null && question.scaleMax !== null) {
    const text = localized<{ text: string; lowLabel?: string | null; highLabel?: string | null }>(question.texts, locale, facts.survey.defaultLocale);
    if (text) {
      const values = placeholderValues(facts, locale);
      const anchors = scaleAnchors(question.type, text, locale);
      message.embeddedQuestion = {
        text: fillQuestionText(text.text, values, locale),
        scale: { min: question.scaleMin, max: question.scaleMax },
        lowLabel: anchors.low,
        highLabel: anchors.high,
        answerUrl: (score) => `${url}?score=${score}`,
      };
    }
  }
  return message;
}
