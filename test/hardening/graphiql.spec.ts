import { describe, expect, it } from 'vitest';
import { DATABASE_TARGETS } from '../support/databases.js';
import { startTestApp } from '../support/harness.js';

describe('GraphiQL in development', () => {
  it('serves its assets itself (no CDN) and tells the user where the key goes', async () => {
    const t = await startTestApp(DATABASE_TARGETS[0]!, { env: { NODE_ENV: 'development' } });
    try {
      const res = await t.http('/graphql', { headers: { accept: 'text/html' } });
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('cx-graph');
      expect(html).toContain('Authorization');
      // No script or stylesheet is loaded from another host.
      const external = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="(https?:\/\/[^"]+)"/g)].map((match) => match[1]);
      expect(external).toEqual([]);
      expect(html).not.toMatch(/unpkg\.com|cdn\.jsdelivr|esm\.sh/);
    } finally {
      await t.close();
    }
  });
});
