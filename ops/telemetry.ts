// Tracing, configured by the standard OTEL_* variables and off unless an OTLP endpoint is set:
// OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) turns on an OTLP/HTTP
// exporter (headers, timeout and the like from the exporter's own OTEL_EXPORTER_OTLP_*
// variables), OTEL_SERVICE_NAME names the service (default `mkondo-<roles>`),
// OTEL_BSP_SCHEDULE_DELAY sets the batch delay, OTEL_SDK_DISABLED=true or
// OTEL_TRACES_EXPORTER=none keep it off. The SDK (telemetry-sdk.ts) is imported only then; the
// code itself uses the API (runtime/telemetry.ts), a no-op until a provider is registered.

export type Telemetry = { shutdown(): Promise<void> };

/** True when the OTEL_* variables ask for traces to be exported. */
export function tracingWanted(env: NodeJS.ProcessEnv): boolean {
  const endpoint = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] || env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  if (!endpoint) return false;
  return env['OTEL_SDK_DISABLED'] !== 'true' && env['OTEL_TRACES_EXPORTER'] !== 'none';
}

/** Starts the SDK with an OTLP exporter when the environment asks for it; else undefined. */
export async function startTelemetry(
  env: NodeJS.ProcessEnv,
  defaultName: string,
): Promise<Telemetry | undefined> {
  if (!tracingWanted(env)) return undefined;
  const { installTracing, otlpExporter } = await import('./telemetry-sdk.ts');
  const delay = Number(env['OTEL_BSP_SCHEDULE_DELAY'] ?? 5000);
  return installTracing(otlpExporter(), {
    serviceName: env['OTEL_SERVICE_NAME'] || defaultName,
    scheduledDelayMillis: Number.isFinite(delay) && delay >= 0 ? delay : 5000,
  });
}
