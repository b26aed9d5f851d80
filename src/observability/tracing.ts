import { context, propagation, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';

/**
 * OpenTelemetry traces, switched on by the standard variables: an OTLP endpoint
 * (`OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`), unless
 * `OTEL_SDK_DISABLED=true` or `OTEL_TRACES_EXPORTER` names no `otlp`. The exporter reads the rest
 * (headers, timeout) itself; `OTEL_SERVICE_NAME` names the service (default cx-graph). Spans: one
 * per HTTP request (continuing an incoming `traceparent`), one per GraphQL operation and one per
 * SQL statement (its text with placeholders, never the values). Off: the API's no-op tracer, no cost.
 */
export function startTracing(env: NodeJS.ProcessEnv, version: string): { shutdown(): Promise<void> } | null {
  // As the OTLP specification says: the traces endpoint as given, or the base endpoint plus /v1/traces.
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (env.OTEL_EXPORTER_OTLP_ENDPOINT ? `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/$/, '')}/v1/traces` : undefined);
  const exporters = (env.OTEL_TRACES_EXPORTER ?? 'otlp').split(',').map((name) => name.trim());
  if (!endpoint || env.OTEL_SDK_DISABLED === 'true' || !exporters.includes('otlp')) return null;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME ?? 'cx-graph', [ATTR_SERVICE_VERSION]: version }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: endpoint }), { scheduledDelayMillis: 1000 })],
  });
  // The global provider, W3C trace context propagation and an AsyncLocalStorage context manager.
  provider.register();
  return {
    async shutdown() {
      await provider.shutdown();
    },
  };
}

const tracer = () => trace.getTracer('cx-graph');

/** Runs `handle` in a server span for one HTTP request; `done` ends it with the status. */
export function inRequestSpan<T>(method: string, route: string, path: string, headers: Record<string, string | string[] | undefined>, handle: (done: (status: number) => void) => T): T {
  const parent = propagation.extract(context.active(), headers);
  return tracer().startActiveSpan(`${method} ${route}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': method, 'http.route': route, 'url.path': path } }, parent, (span) =>
    handle((status) => {
      span.setAttribute('http.response.status_code', status);
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }),
  );
}

/** A span for one GraphQL operation, ended by the caller. */
export function startOperationSpan(type: string, name: string | null): Span {
  return tracer().startSpan(name ? `${type} ${name}` : type, { kind: SpanKind.INTERNAL, attributes: { 'graphql.operation.type': type, ...(name ? { 'graphql.operation.name': name } : {}) } });
}

export function endOperationSpan(span: Span, errorCodes: string[]): void {
  if (errorCodes.length) span.setAttribute('graphql.error.codes', errorCodes);
  if (errorCodes.some((code) => code === 'INTERNAL_SERVER_ERROR' || code === 'SERVICE_UNAVAILABLE')) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

/** Wraps one SQL statement in a client span when the result is a promise (callback-style calls pass through). */
export function traceStatement(system: 'postgresql', statement: unknown, run: () => unknown): unknown {
  if (!trace.getSpan(context.active())) return run();
  const text = typeof statement === 'string' ? statement : typeof (statement as { text?: unknown })?.text === 'string' ? (statement as { text: string }).text : null;
  const span = tracer().startSpan(text ? (text.trim().split(/\s+/, 1)[0] ?? 'SQL').toUpperCase() : 'SQL', {
    kind: SpanKind.CLIENT,
    attributes: { 'db.system.name': system, ...(text ? { 'db.query.text': text.slice(0, 2000) } : {}) },
  });
  let result: unknown;
  try {
    result = context.with(trace.setSpan(context.active(), span), run);
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
    throw error;
  }
  if (result && typeof (result as Promise<unknown>).then === 'function') {
    (result as Promise<unknown>).then(
      () => span.end(),
      (error: unknown) => {
        // No message: a database error can quote a value (a duplicate e-mail, for one).
        span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      },
    );
  } else {
    span.end();
  }
  return result;
}
