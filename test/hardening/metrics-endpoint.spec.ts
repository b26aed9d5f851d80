import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { listen } from '../../src/server.js';
import { DATABASE_TARGETS } from '../support/databases.js';
import { startTestApp } from '../support/harness.js';

const TOKEN = 'scrape-token-0123456789';

describe('Prometheus metrics', () => {
  it('counts requests, refusals and statements, behind a bearer token', async () => {
    const t = await startTestApp(DATABASE_TARGETS[0]!, { env: { METRICS_TOKEN: TOKEN } });
    const server = await listen(t.app, { host: '127.0.0.1', port: 0, shutdownTimeoutMs: 1000 }, pino({ level: 'silent' }));
    try {
      const { key } = await t.workspace();
      const post = (query: string) =>
        fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query }) }).then((res) => res.text());
      await post('query CustomerList { customers(first: 10) { edges { cursor } } }');
      await post(`{ ${Array.from({ length: 20 }, (_, i) => `a${i}: viewer { apiKeyId }`).join(' ')} }`);
      expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
      expect((await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
      let text = '';
      // Request lines are counted when each response has closed: wait for them, not for a fixed time.
      for (let i = 0; i < 100 && !/cx_http_requests_total\{route="\/graphql",method="POST",status="400"\} 1/.test(text); i += 1) {
        const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toMatch(/text\/plain/);
        text = await res.text();
      }
      expect(text).toMatch(/cx_http_requests_total\{route="\/graphql",method="POST",status="200"\} 1/);
      expect(text).toMatch(/cx_http_requests_total\{route="\/graphql",method="POST",status="400"\} 1/);
      expect(text).toMatch(/cx_graphql_errors_total\{code="ALIAS_LIMIT_EXCEEDED"\} 1/);
      expect(text).toMatch(/cx_graphql_operation_cost_count 1/);
      expect(text).toMatch(/cx_graphql_operation_duration_seconds_count\{operation="CustomerList",type="query"\} 1/);
      expect(text).toMatch(/cx_db_statements_total \d+/);
      expect(text).toMatch(/cx_accepting_requests 1/);
      expect(text).toMatch(/cx_process_cpu_seconds_total/);
      expect(text).toMatch(/cx_event_relay_lag_seconds \d/);
      expect(text).toMatch(/cx_event_relay_pending \d+/);
      expect(text).toMatch(/# TYPE cx_webhook_delivery_attempts_total counter/);
    } finally {
      await server.shutdown();
      await t.close();
    }
  });

  it('reports the job queues and, on PostgreSQL, the connection pool', async () => {
    const target = DATABASE_TARGETS.at(-1)!;
    const t = await startTestApp(target, { env: { METRICS_TOKEN: TOKEN }, jobs: true });
    try {
      let text = '';
      // The queues exist once pg-boss has started them: wait for the lines, not for a fixed time.
      for (let i = 0; i < 100 && !/cx_job_queue_jobs\{queue="survey-dispatch",state="ready"\}/.test(text); i += 1) {
        text = await (await t.http('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } })).text();
        if (!/cx_job_queue_jobs\{queue="survey-dispatch"/.test(text)) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(text).toMatch(/cx_job_queue_jobs\{queue="survey-dispatch",state="ready"\} \d+/);
      expect(text).toMatch(/cx_job_queue_jobs\{queue="retention",state="deferred"\} \d+/);
      if (target.name === 'postgres') expect(text).toMatch(/cx_db_pool_connections\{state="total"\} \d+/);
      else expect(text).not.toMatch(/cx_db_pool_connections\{/);
    } finally {
      await t.close();
    }
  });

  it('serves /metrics on its own port when METRICS_PORT is set, and not on the API port', async () => {
    const t = await startTestApp(DATABASE_TARGETS[0]!, { env: { METRICS_PORT: '0' } });
    const server = await listen(t.app, { host: '127.0.0.1', port: 0, shutdownTimeoutMs: 1000, metricsPort: 0, metricsToken: null }, pino({ level: 'silent' }));
    try {
      expect(server.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const scraped = await fetch(`${server.metricsUrl}/metrics`);
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toMatch(/cx_accepting_requests 1/);
      expect((await fetch(`${server.metricsUrl}/graphql`)).status).toBe(404);
      expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
    } finally {
      await server.shutdown();
      await t.close();
    }
  });

  it('has no /metrics unless a token is configured', async () => {
    const t = await startTestApp(DATABASE_TARGETS[0]!);
    try {
      expect((await t.http('/metrics')).status).toBe(404);
    } finally {
      await t.close();
    }
  });
});
