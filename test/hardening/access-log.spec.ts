import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { listen } from '../../src/server.js';
import { DATABASE_TARGETS } from '../support/databases.js';
import { startTestApp } from '../support/harness.js';

describe('the access log', () => {
  it('writes one line per request with the request id, status, duration, the GraphQL operation and the key id, and no credentials', async () => {
    const t = await startTestApp(DATABASE_TARGETS[0]!);
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const server = await listen(t.app, { host: '127.0.0.1', port: 0, shutdownTimeoutMs: 1000 }, pino({ level: 'info' }, sink));
    try {
      const { key } = await t.workspace();
      const graphql = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, 'x-request-id': 'trace-123' },
        body: JSON.stringify({ query: 'query WhoAmI { viewer { apiKeyId } }' }),
      });
      const { apiKeyId } = ((await graphql.json()) as { data: { viewer: { apiKeyId: string } } }).data.viewer;
      expect(graphql.headers.get('x-request-id')).toBe('trace-123');
      const page = await fetch(`${server.url}/s/SECRETTOKENSECRETTOKENSECRET0001`);
      const pageId = page.headers.get('x-request-id');
      expect(pageId).toMatch(/^[0-9a-f-]{36}$/);
      await page.text();
      // The line is written when the response has closed: wait for it, not for a fixed time.
      for (let i = 0; i < 200 && !lines.some((line) => line.requestId === pageId); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
      const requests = lines.filter((line) => line.msg === 'request');
      expect(requests.find((line) => line.requestId === 'trace-123')).toMatchObject({
        method: 'POST',
        path: '/graphql',
        status: 200,
        operation: 'WhoAmI',
        operationType: 'query',
        apiKeyId,
        memberId: null,
      });
      const pageLine = requests.find((line) => line.requestId === pageId);
      expect(pageLine).toMatchObject({ method: 'GET', path: '/s/<token>', status: 404 });
      expect(typeof pageLine?.ms).toBe('number');
      expect(JSON.stringify(lines)).not.toContain('SECRETTOKEN');
      expect(JSON.stringify(lines)).not.toContain(key);
    } finally {
      await server.shutdown();
      await t.close();
    }
  });
});
