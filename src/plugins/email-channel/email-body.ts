import type { Brand, DirectMessage, SurveyInvitationMessage } from '../../core/plugin-sdk/index.js';

const escape = (value: string) => value.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);
const paragraphs = (value: string) => escape(value).split('\n').join('<br>');

/** The company's logo, else its name, above the message; nothing when neither is set. */
function brandHeader(brand: Brand): string {
  if (brand.logoUrl) {
    return `<p style="margin:0 0 20px"><img src="${escape(brand.logoUrl)}" alt="${escape(brand.companyName ?? '')}" height="40" style="display:block;height:40px;width:auto;max-width:100%;border:0"></p>`;
  }
  return brand.companyName ? `<p style="margin:0 0 20px;font-size:18px;font-weight:700;color:${brand.accentColor}">${escape(brand.companyName)}</p>` : '';
}

/**
 * Variant B: the first question's scale, each score a link that answers it. Fluid cells in a fixed
 * table: 0-10 stays on one row from 320 px wide (about 24 px per score) without overflowing.
 */
function embeddedScale(question: NonNullable<SurveyInvitationMessage['embeddedQuestion']>, accent: string): string {
  const scores = Array.from({ length: question.scale.max - question.scale.min + 1 }, (_, i) => question.scale.min + i);
  const cells = scores
    .map(
      (score) =>
        `<td style="padding:0"><a href="${escape(question.answerUrl(score))}" style="display:block;padding:10px 0;border:1px solid ${accent};border-radius:6px;color:${accent};text-decoration:none;text-align:center;font-size:15px;font-weight:600">${score}</a></td>`,
    )
    .join('');
  const ends =
    question.lowLabel || question.highLabel
      ? `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="width:100%;font-size:12px;color:#4a5561"><tr><td style="text-align:left;padding-top:4px">${escape(question.lowLabel ?? '')}</td><td style="text-align:right;padding-top:4px">${escape(question.highLabel ?? '')}</td></tr></table>`
      : '';
  return `<p style="margin:24px 0 8px;font-weight:600">${escape(question.text)}</p>
<table role="presentation" width="100%" cellpadding="0" cellspacing="2" style="width:100%;table-layout:fixed;border-collapse:separate"><tr>${cells}</tr></table>
${ends}`;
}

function page(locale: string, subject: string, brand: Brand, content: string): string {
  return `<!doctype html>
<html lang="${escape(locale)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escape(subject)}</title></head>
<body style="margin:0;background:#f4f6f8;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1b1f24">
<div style="max-width:560px;margin:0 auto;padding:20px 16px;background:#fff;box-sizing:border-box">
${brandHeader(brand)}${content}
</div></body></html>`;
}

/** The invitation as HTML: logo, salutation, the concrete reason, why we ask, how long, one button, signature. */
export function invitationHtml(message: SurveyInvitationMessage): string {
  const accent = message.brand.accentColor;
  const action = message.embeddedQuestion
    ? embeddedScale(message.embeddedQuestion, accent)
    : `<p style="margin:28px 0"><a href="${escape(message.surveyUrl)}" style="background:${accent};color:#fff;padding:12px 22px;border-radius:8px;text-decoration:none;font-weight:600;display:inline-block">${escape(message.buttonLabel)}</a></p>`;
  return page(
    message.locale,
    message.subject,
    message.brand,
    `<p>${escape(message.recipient.salutationLine)},</p>
<p>${escape(message.reason)} ${escape(message.whyWeAsk)}</p>
<p>${escape(message.duration)}</p>
${action}
<p>${paragraphs(message.signature)}</p>
<p style="font-size:12px;color:#4a5561;margin-top:32px">${escape(message.unsubscribePrompt)} <a href="${escape(message.unsubscribeUrl)}" style="color:#4a5561">${escape(message.unsubscribeLabel)}</a></p>`,
  );
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
    `${message.unsubscribePrompt} ${message.unsubscribeUrl}`,
    '',
  ].join('\n');
}

/** A personal message (closing the loop, a review link) as HTML under the company's logo; links stay links. */
export function directHtml(message: DirectMessage): string {
  const linked = paragraphs(message.text).replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}" style="color:${message.brand.accentColor}">${url}</a>`);
  const image = message.image ? `<p><img src="${escape(message.image.url)}" alt="${escape(message.image.alt)}" width="560" style="max-width:100%;height:auto;border:0"></p>` : '';
  return page(message.locale, message.subject, message.brand, `<p>${linked}</p>${image}`);
}

/** "Tv-huis Jansen" <noreply@shop.example>: the sender name over the configured address. */
export function senderOf(from: string, brand: Brand): string | { name: string; address: string } {
  if (!brand.senderName) return from;
  const address = /<([^>]+)>/.exec(from)?.[1] ?? from.trim();
  return { name: brand.senderName, address };
}
