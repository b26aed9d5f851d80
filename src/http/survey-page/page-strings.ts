/** Fixed words of the survey page, per language. */
export const PAGE_STRINGS = {
  nl: {
    progress: (n: number, total: number) => `Vraag ${n} van ${total}`,
    next: 'Volgende',
    back: 'Vorige',
    skip: 'Overslaan',
    finish: 'Versturen',
    unknownTitle: 'Deze link kennen we niet',
    unknownBody: 'Controleer of u de hele link uit het bericht heeft gebruikt.',
    expiredTitle: 'Deze vragenlijst is gesloten',
    expiredBody: 'De link is verlopen. Dank u voor uw interesse.',
    doneTitle: 'U heeft deze vragenlijst al ingevuld',
    doneBody: 'Hartelijk dank voor uw antwoorden.',
    tooManyTitle: 'Even geduld',
    tooManyBody: 'Er kwamen te veel verzoeken tegelijk binnen. Probeer het over een minuut opnieuw.',
    youSaidWeDid: 'U zei, wij deden',
    typeHere: 'Typ hier uw antwoord',
    errorSummary: 'Er ging iets mis met uw antwoord:',
    unsubscribeTitle: 'Afmelden voor vragenlijsten',
    unsubscribeBody: 'Wilt u geen vragenlijsten meer van ons ontvangen?',
    unsubscribeButton: 'Afmelden',
    unsubscribedBody: 'U bent afgemeld. U ontvangt geen vragenlijsten meer van ons.',
    problems: {
      score: 'Kies een score.',
      choices: 'Kies ten minste één antwoord.',
      oneChoice: 'Kies één antwoord.',
      text: 'Typ uw antwoord, of sla de vraag over.',
      tooLong: 'Uw antwoord is te lang.',
      required: (n: number) => `Vraag ${n} is verplicht.`,
      other: 'Controleer uw antwoord.',
    },
    anchors: {
      NPS: ['Zeer onwaarschijnlijk', 'Zeer waarschijnlijk'],
      CSAT: ['Zeer ontevreden', 'Zeer tevreden'],
      CES: ['Helemaal mee oneens', 'Helemaal mee eens'],
    },
  },
  en: {
    progress: (n: number, total: number) => `Question ${n} of ${total}`,
    next: 'Next',
    back: 'Back',
    skip: 'Skip',
    finish: 'Send',
    unknownTitle: 'We do not know this link',
    unknownBody: 'Please check that you used the whole link from the message.',
    expiredTitle: 'This survey is closed',
    expiredBody: 'The link has expired. Thank you for your interest.',
    doneTitle: 'You already answered this survey',
    doneBody: 'Thank you for your answers.',
    tooManyTitle: 'One moment please',
    tooManyBody: 'Too many requests arrived at once. Please try again in a minute.',
    youSaidWeDid: 'You said, we did',
    typeHere: 'Type your answer here',
    errorSummary: 'There was a problem with your answer:',
    unsubscribeTitle: 'Unsubscribe from surveys',
    unsubscribeBody: 'Do you no longer want to receive surveys from us?',
    unsubscribeButton: 'Unsubscribe',
    unsubscribedBody: 'You are unsubscribed. You will not receive surveys from us any more.',
    problems: {
      score: 'Please choose a score.',
      choices: 'Please pick at least one answer.',
      oneChoice: 'Please pick one answer.',
      text: 'Please type your answer, or skip the question.',
      tooLong: 'Your answer is too long.',
      required: (n: number) => `Question ${n} needs an answer.`,
      other: 'Please check your answer.',
    },
    anchors: {
      NPS: ['Not at all likely', 'Extremely likely'],
      CSAT: ['Very dissatisfied', 'Very satisfied'],
      CES: ['Strongly disagree', 'Strongly agree'],
    },
  },
} as const;

export type PageStrings = (typeof PAGE_STRINGS)['nl' | 'en'];

export function pageStrings(locale: string): PageStrings {
  return locale.startsWith('nl') ? PAGE_STRINGS.nl : PAGE_STRINGS.en;
}

/**
 * What the respondent reads for a rejected answer, in the page's language: the API's messages
 * name fields for developers ("choices: pick at least one option").
 */
export function problemText(strings: PageStrings, issue: { path: string[]; message: string }): string {
  const field = issue.path.at(-1);
  if (field === 'score') return strings.problems.score;
  if (field === 'choices') return /exactly one/.test(issue.message) ? strings.problems.oneChoice : strings.problems.choices;
  if (field === 'text') return /at most/.test(issue.message) ? strings.problems.tooLong : strings.problems.text;
  const required = /question (\d+) is required/.exec(issue.message);
  if (required) return strings.problems.required(Number(required[1]));
  return strings.problems.other;
}

/** The ends of a standard scale when the question names none: a bare 1 or 7 says nothing. */
export function defaultAnchors(strings: PageStrings, type: string): { low: string; high: string } | null {
  const anchors = (strings.anchors as Record<string, readonly [string, string]>)[type];
  return anchors ? { low: anchors[0], high: anchors[1] } : null;
}
