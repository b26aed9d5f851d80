import { wordsFor, type Language } from '../../core/i18n/languages.js';

export interface PageStrings {
  progress(n: number, total: number): string;
  next: string;
  back: string;
  skip: string;
  finish: string;
  unknownTitle: string;
  unknownBody: string;
  expiredTitle: string;
  expiredBody: string;
  doneTitle: string;
  doneBody: string;
  tooManyTitle: string;
  tooManyBody: string;
  youSaidWeDid: string;
  typeHere: string;
  errorSummary: string;
  unsubscribeTitle: string;
  unsubscribeBody: string;
  unsubscribeButton: string;
  unsubscribedBody: string;
  /** The widget's dialog title and close button. */
  widgetTitle: string;
  close: string;
  problems: {
    score: string;
    choices: string;
    oneChoice: string;
    text: string;
    tooLong: string;
    required(n: number): string;
    other: string;
  };
}

/** Fixed words of the survey page and widget, per language. */
export const PAGE_STRINGS: Record<Language, PageStrings> = {
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
    widgetTitle: 'Uw mening',
    close: 'Sluiten',
    problems: {
      score: 'Kies een score.',
      choices: 'Kies ten minste één antwoord.',
      oneChoice: 'Kies één antwoord.',
      text: 'Typ uw antwoord, of sla de vraag over.',
      tooLong: 'Uw antwoord is te lang.',
      required: (n: number) => `Vraag ${n} is verplicht.`,
      other: 'Controleer uw antwoord.',
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
    widgetTitle: 'Your opinion',
    close: 'Close',
    problems: {
      score: 'Please choose a score.',
      choices: 'Please pick at least one answer.',
      oneChoice: 'Please pick one answer.',
      text: 'Please type your answer, or skip the question.',
      tooLong: 'Your answer is too long.',
      required: (n: number) => `Question ${n} needs an answer.`,
      other: 'Please check your answer.',
    },
  },
  de: {
    progress: (n: number, total: number) => `Frage ${n} von ${total}`,
    next: 'Weiter',
    back: 'Zurück',
    skip: 'Überspringen',
    finish: 'Absenden',
    unknownTitle: 'Diesen Link kennen wir nicht',
    unknownBody: 'Bitte prüfen Sie, ob Sie den vollständigen Link aus der Nachricht verwendet haben.',
    expiredTitle: 'Diese Umfrage ist geschlossen',
    expiredBody: 'Der Link ist abgelaufen. Vielen Dank für Ihr Interesse.',
    doneTitle: 'Sie haben diese Umfrage bereits ausgefüllt',
    doneBody: 'Vielen Dank für Ihre Antworten.',
    tooManyTitle: 'Einen Moment bitte',
    tooManyBody: 'Es kamen zu viele Anfragen gleichzeitig. Bitte versuchen Sie es in einer Minute erneut.',
    youSaidWeDid: 'Sie sagten, wir handelten',
    typeHere: 'Geben Sie hier Ihre Antwort ein',
    errorSummary: 'Mit Ihrer Antwort stimmt etwas nicht:',
    unsubscribeTitle: 'Von Umfragen abmelden',
    unsubscribeBody: 'Möchten Sie keine Umfragen mehr von uns erhalten?',
    unsubscribeButton: 'Abmelden',
    unsubscribedBody: 'Sie sind abgemeldet. Sie erhalten keine Umfragen mehr von uns.',
    widgetTitle: 'Ihre Meinung',
    close: 'Schließen',
    problems: {
      score: 'Bitte wählen Sie einen Wert.',
      choices: 'Bitte wählen Sie mindestens eine Antwort.',
      oneChoice: 'Bitte wählen Sie eine Antwort.',
      text: 'Bitte geben Sie Ihre Antwort ein oder überspringen Sie die Frage.',
      tooLong: 'Ihre Antwort ist zu lang.',
      required: (n: number) => `Frage ${n} muss beantwortet werden.`,
      other: 'Bitte prüfen Sie Ihre Antwort.',
    },
  },
  fr: {
    progress: (n: number, total: number) => `Question ${n} sur ${total}`,
    next: 'Suivant',
    back: 'Précédent',
    skip: 'Passer',
    finish: 'Envoyer',
    unknownTitle: 'Nous ne connaissons pas ce lien',
    unknownBody: 'Vérifiez que vous avez utilisé le lien complet du message.',
    expiredTitle: 'Ce questionnaire est clôturé',
    expiredBody: 'Le lien a expiré. Merci de votre intérêt.',
    doneTitle: 'Vous avez déjà répondu à ce questionnaire',
    doneBody: 'Merci beaucoup pour vos réponses.',
    tooManyTitle: 'Un instant, s’il vous plaît',
    tooManyBody: 'Trop de demandes sont arrivées en même temps. Réessayez dans une minute.',
    youSaidWeDid: 'Vous avez dit, nous avons agi',
    typeHere: 'Saisissez votre réponse ici',
    errorSummary: 'Votre réponse pose un problème :',
    unsubscribeTitle: 'Se désinscrire des questionnaires',
    unsubscribeBody: 'Vous ne souhaitez plus recevoir nos questionnaires ?',
    unsubscribeButton: 'Se désinscrire',
    unsubscribedBody: 'Vous êtes désinscrit. Vous ne recevrez plus nos questionnaires.',
    widgetTitle: 'Votre avis',
    close: 'Fermer',
    problems: {
      score: 'Choisissez une note.',
      choices: 'Choisissez au moins une réponse.',
      oneChoice: 'Choisissez une réponse.',
      text: 'Saisissez votre réponse ou passez la question.',
      tooLong: 'Votre réponse est trop longue.',
      required: (n: number) => `La question ${n} est obligatoire.`,
      other: 'Vérifiez votre réponse.',
    },
  },
};

export function pageStrings(locale: string): PageStrings {
  return wordsFor(PAGE_STRINGS, locale);
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
