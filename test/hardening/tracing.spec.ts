import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTracing } from '../../src/observability/tracing.js';
import { listen } from '../../src/server.js';
import { DATABASE_TARGETS } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/harness.js';

interface ReceivedSpan {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
}

/** A loopback OTLP/HTTP receiver (JSON encoding): what a collector would get. */
async function startReceiver() {
  const spans: ReceivedSpan[] = [];
  const resources: unknown[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        const payload = JSON.parse(body) as { resourceSpans: Array<{ resource: unknown; scopeSpans: Array<{ spans: ReceivedSpan[] }> }> };
        for (const resourceSpan of payload.resourceSpans) {
          resources.push(resourceSpan.resource);
          for (const scope of resourceSpan.scopeSpans) spans.push(...scope.spans);
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, resources, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const attribute = (span: ReceivedSpan, key: string) => {
  const value = span.attributes.find((entry) => entry.key === key)?.value;
  return value ? Object.values(value)[0] : undefined;
};

describe('OpenTelemetry traces', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let t: TestApp;
  let tracing: ReturnType<typeof startTracing>;

  beforeAll(async () => {
    receiver = await startReceiver();
    tracing = startTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'cx-graph-test' }, '0.0.0-test');
    t = await startTestApp(DATABASE_TARGETS.at(-1)!);
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  it('are off without an OTLP endpoint', () => {
    expect(startTracing({}, '1')).toBeNull();
    expect(startTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1', OTEL_SDK_DISABLED: 'true' }, '1')).toBeNull();
  });

  it("export a server span per request with the GraphQL operation and each SQL statement inside, continuing the caller's trace", async () => {
    const server = await listen(t.app, { host: '127.0.0.1', port: 0, shutdownTimeoutMs: 1000 }, pino({ level: 'silent' }));
    const { key } = await t.workspace();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      body: JSON.stringify({ query: 'query CustomerList { customers(first: 5, filter: { email: "secret@example.com" }) { edges { node { id } } } }' }),
    });
    expect(response.status).toBe(200);
    await response.text();
    await server.shutdown().catch(() => undefined);
    await tracing!.shutdown();
    const inTrace = receiver.spans.filter((span) => span.traceId === traceId);
    const http = inTrace.find((span) => span.name === 'POST /graphql');
    expect(http).toBeDefined();
    expect(http!.parentSpanId).toBe('00f067aa0ba902b7');
    expect(attribute(http!, 'http.response.status_code')).toBe(200);
    const operation = inTrace.find((span) => span.name === 'query CustomerList');
    expect(operation?.parentSpanId).toBe(http!.spanId);
    const statements = inTrace.filter((span) => attribute(span, 'db.system.name') === 'postgresql');
    expect(statements.length).toBeGreaterThan(0);
    expect(statements.every((span) => typeof attribute(span, 'db.query.text') === 'string')).toBe(true);
    // Statement texts carry placeholders, never the values: the filter's e-mail is nowhere in the export.
    expect(JSON.stringify(receiver.spans)).not.toContain('secret@example.com');
    expect(JSON.stringify(receiver.resources)).toContain('cx-graph-test');
  });
});
