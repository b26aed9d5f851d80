import { intlLocale, wordsFor } from '../i18n/languages.js';

/** A follow-up as an owner reads it in a mail. */
export interface FollowUpLine {
  id: string;
  priority: string;
  /** The answer's score on its scale, or the review's stars. */
  score: number | null;
  /** Where it came from: the survey and question, or the review source. */
  source: string;
  customerName: string | null;
  comment: string | null;
  dueAt: Date;
  overdue: boolean;
  /** A link into the team's own tool, when FOLLOW_UP_URL_TEMPLATE is set. */
  url: string | null;
}

export interface ReviewLine {
  source: string;
  stars: number;
  publishedAt: Date;
  title: string | null;
}

export interface DigestContent {
  open: number;
  overdue: number;
  /** Open follow-ups, overdue first then by due time, at most DIGEST_LIST_SIZE. */
  followUps: FollowUpLine[];
  /** The NPS trend of the owner's questions (PNG, for mail clients), when they own an NPS question. */
  chart: { url: string; alt: string } | null;
  /** Low reviews on the owner's review sources still unanswered past the reply policy. */
  reviews: { count: number; hours: number; lines: ReviewLine[] } | null;
}

export interface OwnerMailText {
  subject: string;
  text: string;
}

export const DIGEST_LIST_SIZE = 10;

const WORDS = {
  en: {
    raisedSubject: (priority: string, score: string) => `New follow-up (${priority}): score ${score}`,
    raisedIntro: 'A follow-up was raised for you.',
    priority: 'Priority',
    score: 'Score',
    from: 'From',
    customer: 'Customer',
    due: 'Due',
    words: 'In their words',
    open: 'Open',
    reference: 'Reference (node id in the API)',
    digestSubject: (open: number, overdue: number) => `Your week: ${open} open follow-up${open === 1 ? '' : 's'}, ${overdue} overdue`,
    digestIntro: 'Your weekly overview.',
    openCount: 'Open follow-ups',
    overdueCount: 'Overdue',
    overdueMark: 'OVERDUE',
    noneOpen: 'No open follow-ups. Well done.',
    more: (n: number) => `... and ${n} more`,
    chart: 'NPS of your questions, per month',
    reviews: (n: number, hours: number) => `${n} low review${n === 1 ? '' : 's'} unanswered for more than ${hours} hours`,
    stars: 'stars',
  },
  nl: {
    raisedSubject: (priority: string, score: string) => `Nieuwe opvolging (${priority}): score ${score}`,
    raisedIntro: 'Er is een opvolging voor u aangemaakt.',
    priority: 'Prioriteit',
    score: 'Score',
    from: 'Bron',
    customer: 'Klant',
    due: 'Uiterlijk',
    words: 'In hun woorden',
    open: 'Openen',
    reference: 'Referentie (node-id in de API)',
    digestSubject: (open: number, overdue: number) => `Uw week: ${open} open opvolging${open === 1 ? '' : 'en'}, ${overdue} te laat`,
    digestIntro: 'Uw wekelijkse overzicht.',
    openCount: 'Open opvolgingen',
    overdueCount: 'Te laat',
    overdueMark: 'TE LAAT',
    noneOpen: 'Geen open opvolgingen. Goed gedaan.',
    more: (n: number) => `... en nog ${n}`,
    chart: 'NPS van uw vragen, per maand',
    reviews: (n: number, hours: number) => `${n} lage review${n === 1 ? '' : 's'} langer dan ${hours} uur onbeantwoord`,
    stars: 'sterren',
  },
  de: {
    raisedSubject: (priority: string, score: string) => `Neue Nachverfolgung (${priority}): Wert ${score}`,
    raisedIntro: 'Für Sie wurde eine Nachverfolgung angelegt.',
    priority: 'Priorität',
    score: 'Wert',
    from: 'Quelle',
    customer: 'Kunde',
    due: 'Fällig',
    words: 'In eigenen Worten',
    open: 'Öffnen',
    reference: 'Referenz (Node-ID in der API)',
    digestSubject: (open: number, overdue: number) => `Ihre Woche: ${open} offene Nachverfolgung${open === 1 ? '' : 'en'}, ${overdue} überfällig`,
    digestIntro: 'Ihre wöchentliche Übersicht.',
    openCount: 'Offene Nachverfolgungen',
    overdueCount: 'Überfällig',
    overdueMark: 'ÜBERFÄLLIG',
    noneOpen: 'Keine offenen Nachverfolgungen. Gut gemacht.',
    more: (n: number) => `... und ${n} weitere`,
    chart: 'NPS Ihrer Fragen, pro Monat',
    reviews: (n: number, hours: number) => `${n} schlechte Bewertung${n === 1 ? '' : 'en'} seit mehr als ${hours} Stunden unbeantwortet`,
    stars: 'Sterne',
  },
  fr: {
    raisedSubject: (priority: string, score: string) => `Nouveau suivi (${priority}) : note ${score}`,
    raisedIntro: 'Un suivi a été créé pour vous.',
    priority: 'Priorité',
    score: 'Note',
    from: 'Source',
    customer: 'Client',
    due: 'Échéance',
    words: 'Selon le client',
    open: 'Ouvrir',
    reference: 'Référence (identifiant de nœud dans l’API)',
    digestSubject: (open: number, overdue: number) => `Votre semaine : ${open} suivi${open === 1 ? '' : 's'} ouvert${open === 1 ? '' : 's'}, ${overdue} en retard`,
    digestIntro: 'Votre résumé hebdomadaire.',
    openCount: 'Suivis ouverts',
    overdueCount: 'En retard',
    overdueMark: 'EN RETARD',
    noneOpen: 'Aucun suivi ouvert. Bravo.',
    more: (n: number) => `... et ${n} de plus`,
    chart: 'NPS de vos questions, par mois',
    reviews: (n: number, hours: number) => `${n} avis négatif${n === 1 ? '' : 's'} sans réponse depuis plus de ${hours} heures`,
    stars: 'étoiles',
  },
};

const formatScore = (score: number | null) => (score === null ? '-' : Number.isInteger(score) ? String(score) : score.toFixed(1));

function formatTime(date: Date, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: 'long', timeStyle: 'short', timeZone }).format(date);
}

/** The mail telling an owner that a follow-up was raised (or handed over) to them. */
export function followUpRaisedText(line: FollowUpLine, locale: string, timeZone: string): OwnerMailText {
  const w = wordsFor(WORDS, locale);
  const rows = [
    w.raisedIntro,
    '',
    `${w.priority}: ${line.priority}`,
    `${w.score}: ${formatScore(line.score)}`,
    `${w.from}: ${line.source}`,
    ...(line.customerName ? [`${w.customer}: ${line.customerName}`] : []),
    `${w.due}: ${formatTime(line.dueAt, locale, timeZone)} (${timeZone})`,
    ...(line.comment ? ['', `${w.words}:`, ...line.comment.split('\n').map((part) => `  ${part}`)] : []),
    '',
    line.url ? `${w.open}: ${line.url}` : `${w.reference}: ${line.id}`,
  ];
  return { subject: w.raisedSubject(line.priority, formatScore(line.score)), text: rows.join('\n') };
}

/** The weekly digest of one owner: open and overdue follow-ups, the NPS trend of their questions, late review replies. */
export function weeklyDigestText(content: DigestContent, locale: string, timeZone: string): OwnerMailText {
  const w = wordsFor(WORDS, locale);
  const rows = [w.digestIntro, '', `${w.openCount}: ${content.open}`, `${w.overdueCount}: ${content.overdue}`, ''];
  if (content.open === 0) rows.push(w.noneOpen);
  for (const line of content.followUps) {
    const mark = line.overdue ? ` ${w.overdueMark}` : '';
    rows.push(`- [${line.priority}]${mark} ${w.score} ${formatScore(line.score)}, ${line.source}; ${w.due.toLowerCase()} ${formatTime(line.dueAt, locale, timeZone)}`);
    rows.push(`  ${line.url ?? line.id}`);
  }
  if (content.open > content.followUps.length) rows.push(w.more(content.open - content.followUps.length));
  if (content.reviews && content.reviews.count > 0) {
    rows.push('', `${w.reviews(content.reviews.count, content.reviews.hours)}:`);
    for (const review of content.reviews.lines) {
      rows.push(`- ${review.stars} ${w.stars}, ${review.source}, ${formatTime(review.publishedAt, locale, timeZone)}${review.title ? `: ${review.title}` : ''}`);
    }
    if (content.reviews.count > content.reviews.lines.length) rows.push(w.more(content.reviews.count - content.reviews.lines.length));
  }
  if (content.chart) rows.push('', `${w.chart}:`, content.chart.url);
  return { subject: w.digestSubject(content.open, content.overdue), text: rows.join('\n') };
}

/** The chart's caption in the owner's language. */
export const digestChartAlt = (locale: string) => wordsFor(WORDS, locale).chart;
