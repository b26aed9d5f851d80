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
  },
} as const;

export type PageStrings = (typeof PAGE_STRINGS)['nl' | 'en'];

export function pageStrings(locale: string): PageStrings {
  return locale.startsWith('nl') ? PAGE_STRINGS.nl : PAGE_STRINGS.en;
}
