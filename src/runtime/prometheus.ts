import { collectMetrics, type CollectOptions, type MetricFamily } from './metrics.js';

/** The `Content-Type` of {@link toPrometheus} output (Prometheus text exposition format 0.0.4). */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * Everything leakhound/runtime measures, in the Prometheus text exposition format: process
 * memory under prom-client's default names, memory-monitor gauges (`leakhound_memory_*`),
 * and the `db_client_*` metrics of the client tracker, query metrics and watched pools.
 *
 * @example
 * ```ts
 * import http from 'node:http';
 * import { toPrometheus, PROMETHEUS_CONTENT_TYPE } from 'leakhound/runtime';
 *
 * http.createServer((req, res) => {
 *   if (req.url === '/metrics') {
 *     res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE }).end(toPrometheus());
 *   }
 * }).listen(9464);
 * ```
 */
export function toPrometheus(options: CollectOptions = {}): string {
  return formatPrometheus(collectMetrics(options));
}

/** Formats metric families (from `collectMetrics`) as Prometheus text. */
export function formatPrometheus(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const family of families) {
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`);
    lines.push(`# TYPE ${family.name} ${family.type}`);
    if (family.type === 'histogram') {
      for (const sample of family.samples) {
        for (const bucket of sample.buckets) {
          lines.push(`${family.name}_bucket${formatLabels(sample.labels, formatValue(bucket.le))} ${formatValue(bucket.count)}`);
        }
        lines.push(`${family.name}_sum${formatLabels(sample.labels)} ${formatValue(sample.sum)}`);
        lines.push(`${family.name}_count${formatLabels(sample.labels)} ${formatValue(sample.count)}`);
      }
    } else {
      for (const sample of family.samples) lines.push(`${family.name}${formatLabels(sample.labels)} ${formatValue(sample.value)}`);
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

function formatLabels(labels: Record<string, string>, le?: string): string {
  const parts = Object.entries(labels).map(([name, value]) => `${name}="${escapeLabelValue(value)}"`);
  if (le !== undefined) parts.push(`le="${le}"`);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

/** Go's ParseFloat spellings, which Prometheus expects: `+Inf`, `-Inf`, `NaN`. */
function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function escapeLabelValue(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
