import { describe, expect, it } from 'vitest';
import { html, multiline } from './html.js';

describe('html', () => {
  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    [`"quoted" & 'single'`, '&quot;quoted&quot; &amp; &#39;single&#39;'],
    [null, ''],
    [42, '42'],
  ])('escapes %s', (value, expected) => {
    expect(html`<p>${value}</p>`.value).toBe(`<p>${expected}</p>`);
  });

  it('keeps nested Html and joins lists', () => {
    expect(html`<ul>${['a', 'b'].map((item) => html`<li>${item}</li>`)}</ul>`.value).toBe('<ul><li>a</li><li>b</li></ul>');
    expect(multiline('a<b\nc').value).toBe('a&lt;b<br>c');
  });
});
