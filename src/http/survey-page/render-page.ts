import { html, Html, multiline } from '../html.js';
import type { PageStrings } from './page-strings.js';
import { DEFAULT_ACCENT_COLOR, type Brand } from '../../core/workspaces/branding.js';

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;background:#f4f6f8}
main{max-width:40rem;margin:0 auto;padding:1.25rem}
.card{background:#fff;border-radius:12px;padding:1.25rem;box-shadow:0 1px 3px rgba(0,0,0,.08)}
h1{font-size:1.35rem;margin:.25rem 0 1rem}p{margin:.5rem 0}
.progress{display:flex;align-items:center;gap:.75rem;font-size:.9rem;color:#4a5561;margin-bottom:1rem}
progress{flex:1;height:.5rem;accent-color:var(--accent)}
fieldset{border:0;padding:0;margin:0}legend{font-size:1.2rem;font-weight:600;margin-bottom:1rem}
.scale{display:grid;grid-template-columns:repeat(var(--points,11),minmax(0,1fr));gap:.35rem}
@media (max-width:480px){main{padding:.5rem}.card{padding:1rem .75rem}.scale{gap:.15rem}.scale label{font-size:.95rem}}
.scale label,.choices label{display:flex;align-items:center;justify-content:center;min-height:2.75rem;border:1px solid #c5ccd4;border-radius:8px;cursor:pointer;background:#fff}
.choices{display:grid;gap:.5rem}.choices label{justify-content:flex-start;padding:.5rem .75rem;gap:.5rem}
.scale input{position:absolute;opacity:0;width:1px;height:1px}
.scale input:checked+span{font-weight:700}.scale label:has(input:checked){background:var(--accent);color:#fff;border-color:var(--accent)}
.scale label:has(input:focus-visible),.choices label:has(input:focus-visible){outline:3px solid var(--accent);outline-offset:2px}
.ends{display:flex;justify-content:space-between;gap:1rem;font-size:.85rem;color:#4a5561;margin-top:.4rem}.ends span{max-width:50%}.ends span:last-child{text-align:right}
textarea{width:100%;min-height:8rem;font:inherit;padding:.6rem;border:1px solid #c5ccd4;border-radius:8px}
.actions{display:flex;flex-wrap:wrap;gap:.6rem;margin-top:1.25rem;align-items:center}
button{font:inherit;border-radius:8px;padding:.65rem 1.2rem;border:1px solid var(--accent);background:var(--accent);color:#fff;cursor:pointer;min-height:2.75rem}
button.secondary{background:#fff;color:var(--accent)}button.default-action{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);border:0;min-height:0}a.back{color:var(--accent);margin-right:auto}
button:focus-visible,a:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.error{border-left:4px solid #c62828;background:#fdecea;padding:.5rem .75rem;border-radius:4px;margin-bottom:1rem}
.intro{color:#4a5561}.done{font-size:1.1rem}
.brand{display:flex;align-items:center;gap:.75rem;margin:0 0 1rem;font-weight:700;color:var(--accent)}.brand img{max-height:2.5rem;max-width:12rem;width:auto}
@media (min-width:48rem){main{padding:3rem 1rem}.card{padding:2rem}}`;

/**
 * Optional enhancement: a tap or click on a score submits at once (one tap per question on a
 * phone). Keyboard selection (arrow keys, detail 0) does not, so keyboard users confirm with the button.
 */
const SCRIPT = `document.querySelectorAll('form[data-autosubmit] .scale input').forEach(function(input){input.addEventListener('click',function(e){if(!e.detail)return;var f=input.form;var b=f.querySelector('button[name=action][value=next]');setTimeout(function(){if(f.requestSubmit){f.requestSubmit(b)}else{f.submit()}},120)})});`;

/** The company's logo, else its name, at the top of the card; nothing when neither is set. */
function brandHeader(brand: Brand | undefined): Html | string {
  if (!brand) return '';
  if (brand.logoUrl) return html`<header class="brand"><img src="${brand.logoUrl}" alt="${brand.companyName ?? ''}"></header>`;
  return brand.companyName ? html`<header class="brand">${brand.companyName}</header>` : '';
}

export function layout(options: { lang: string; title: string; body: Html; brand?: Brand }): Html {
  const accent = options.brand?.accentColor ?? DEFAULT_ACCENT_COLOR;
  return html`<!doctype html>
<html lang="${options.lang}" style="--accent:${accent}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${options.title}</title>
<style>${new Html(STYLE)}</style>
</head>
<body><main><div class="card">${brandHeader(options.brand)}${options.body}</div></main><script>${new Html(SCRIPT)}</script></body>
</html>`;
}

export function messagePage(lang: string, title: string, body: string, extra?: Html, brand?: Brand): Html {
  return layout({ lang, title, brand, body: html`<h1>${title}</h1><p>${body}</p>${extra ?? ''}` });
}

export interface QuestionView {
  id: string;
  type: string;
  text: string;
  lowLabel: string | null;
  highLabel: string | null;
  scaleMin: number | null;
  scaleMax: number | null;
  options: Array<{ value: string; label: string }>;
  required: boolean;
}

export interface QuestionPageModel {
  lang: string;
  strings: PageStrings;
  title: string;
  intro: { reason: string; whyWeAsk: string; duration: string } | null;
  action: string;
  index: number;
  total: number;
  question: QuestionView;
  current: { score: number | null; choices: string[]; text: string | null };
  backHref: string | null;
  errors: string[];
  embed: boolean;
  brand: Brand;
}

function input(question: QuestionView, current: QuestionPageModel['current'], strings: PageStrings): Html {
  if (question.scaleMin !== null && question.scaleMax !== null) {
    const scores = Array.from({ length: question.scaleMax - question.scaleMin + 1 }, (_, i) => question.scaleMin! + i);
    // One row whatever the width (0-10 included): the end labels sit under the ends of the scale.
    return html`<div class="scale" role="radiogroup" style="--points:${Math.min(scores.length, 11)}">${scores.map(
      (score) =>
        html`<label><input type="radio" name="score" value="${score}"${current.score === score ? html` checked` : ''}${question.required ? html` required` : ''}><span>${score}</span></label>`,
    )}</div>${question.lowLabel || question.highLabel ? html`<div class="ends" aria-hidden="true"><span>${question.lowLabel}</span><span>${question.highLabel}</span></div>` : ''}`;
  }
  if (question.type === 'SINGLE_CHOICE' || question.type === 'MULTIPLE_CHOICE') {
    const type = question.type === 'SINGLE_CHOICE' ? 'radio' : 'checkbox';
    return html`<div class="choices">${question.options.map(
      (option) => html`<label><input type="${type}" name="choices" value="${option.value}"${current.choices.includes(option.value) ? html` checked` : ''}> ${option.label}</label>`,
    )}</div>`;
  }
  return html`<textarea id="answer-text" name="text" aria-labelledby="question-text" maxlength="5000" placeholder="${strings.typeHere}">${current.text ?? ''}</textarea>`;
}

export function questionPage(model: QuestionPageModel): Html {
  const { strings, question } = model;
  const last = model.index === model.total - 1;
  const body = html`
<div class="progress"><span id="progress-label">${strings.progress(model.index + 1, model.total)}</span><progress max="${model.total}" value="${model.index + 1}" aria-labelledby="progress-label"></progress></div>
${model.intro ? html`<p class="intro">${model.intro.reason} ${model.intro.whyWeAsk} ${model.intro.duration}</p>` : ''}
${model.errors.length ? html`<div class="error" role="alert"><p>${strings.errorSummary}</p><ul>${model.errors.map((error) => html`<li>${error}</li>`)}</ul></div>` : ''}
<form method="post" action="${model.action}"${question.scaleMin !== null ? html` data-autosubmit` : ''}>
<input type="hidden" name="questionId" value="${question.id}">
${question.required ? '' : html`<button type="submit" name="action" value="next" class="default-action" tabindex="-1" aria-hidden="true"></button>`}
${model.embed ? html`<input type="hidden" name="embed" value="1">` : ''}
<fieldset><legend id="question-text">${question.text}</legend>${input(question, model.current, strings)}</fieldset>
<div class="actions">
${model.backHref ? html`<a class="back" href="${model.backHref}">${strings.back}</a>` : ''}
${question.required ? '' : html`<button type="submit" class="secondary" name="action" value="skip" formnovalidate>${strings.skip}</button>`}
<button type="submit" name="action" value="next">${last ? strings.finish : strings.next}</button>
</div>
</form>`;
  return layout({ lang: model.lang, title: model.title, brand: model.brand, body: html`<h1>${model.title}</h1>${body}` });
}

export function thankYouPage(lang: string, title: string, thankYou: string, signature: string, items: Array<{ title: string; description: string | null }>, strings: PageStrings, brand: Brand): Html {
  return layout({
    lang,
    title,
    brand,
    body: html`<h1>${title}</h1><p class="done" role="status">${thankYou}</p>
${items.length ? html`<h2>${strings.youSaidWeDid}</h2><ul>${items.map((item) => html`<li><strong>${item.title}</strong>${item.description ? html` ${item.description}` : ''}</li>`)}</ul>` : ''}
<p>${multiline(signature)}</p>`,
  });
}
