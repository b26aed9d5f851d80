import type { SurveyInvitationMessage } from '../../core/plugin-sdk/index.js';

const escape = (value: string) => value.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);
const paragraphs = (value: string) => escape(value).split('\n').join('<br>');

const FOOTER = { nl: 'Liever geen vragenlijsten meer?', en: 'Rather not receive surveys?' };
const UNSUBSCRIBE = { nl: 'Afmelden', en: 'Unsubscribe' };

/** The invitation as HTML: salutation, the concrete reason, why we ask, how long, one button, signature. */
export function invitationHtml(message: SurveyInvitationMessage): string {
  const question = message.embeddedQuestion;
  const scores = question ? Array.from({ length: question.scale.max - question.scale.min + 1 }, (_, i) => question.scale.min + i) : [];
  const embedded = question
    ? `<p style="margin:24px 0 8px;font-weight:600">${escape(question.text)}</p>
<table role="presentation" cellpadding="0" cellspacing="4"><tr>${scores
        .map((score) => `<td><a href="${escape(question.answerUrl(score))}" style="display:inline-block;min-width:28px;padding:8px 6px;border:1px solid #1463d8;border-radius:6px;color:#1463d8;text-decoration:none;text-align:center">${score}</a></td>`)
        .join('')}</tr></table>
${question.lowLabel || question.highLabel ? `<p style="font-size:12px;color:#555">${escape(question.lowLabel ?? '')} — ${escape(question.highLabel ?? '')}</p>` : ''}`
    : `<p style="margin:28px 0"><a href="${escape(message.surveyUrl)}" style="background:#1463d8;color:#fff;padding:12px 22px;border-radius:8px;text-decoration:none;font-weight:600;display:inline-block">${escape(message.buttonLabel)}</a></p>`;
  return `<!doctype html>
<html lang="${escape(message.locale)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escape(message.subject)}</title></head>
<body style="margin:0;background:#f4f6f8;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1b1f24">
<div style="max-width:560px;margin:0 auto;padding:24px;background:#fff">
<p>${escape(message.recipient.salutationLine)},</p>
<p>${escape(message.reason)} ${escape(message.whyWeAsk)}</p>
<p>${escape(message.duration)}</p>
${embedded}
<p>${paragraphs(message.signature)}</p>
<p style="font-size:12px;color:#666;margin-top:32px">${escape(FOOTER[message.locale.startsWith('nl') ? 'nl' : 'en'])} <a href="${escape(message.unsubscribeUrl)}" style="color:#666">${escape(UNSUBSCRIBE[message.locale.startsWith('nl') ? 'nl' : 'en'])}</a></p>
</div></body></html>`;
}

/** The same message as plain text, for clients without HTML. */
export function invitationText(message: SurveyInvitationMessage): string {
  const question = message.embeddedQuestion;
  return [
    `${message.recipient.salutationLine},`,
    '',
    `${message.reason} ${message.whyWeAsk}`,
    message.duration,
    '',
    question ? `${question.text}\n${message.surveyUrl}` : `${message.buttonLabel}: ${message.surveyUrl}`,
    '',
    message.signature,
    '',
    `${FOOTER[message.locale.startsWith('nl') ? 'nl' : 'en']} ${message.unsubscribeUrl}`,
    '',
  ].join('\n');
}
