import type { RunFile } from './run-file.js';
const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;
export function formatRunSummary(run: RunFile, options: { color: boolean; jsonPath: string; htmlPath: string | null }): string {
  const s = run.summary;
  return [
    `leakhound: ${run.label} ran ${(run.durationMs / 1000).toFixed(1)} s — rss peak ${mb(s.memory.peak.rss)}, steady ${mb(s.memory.steady.rss)}; heap trend ${s.trend.heapUsed.direction}`,
    `clients created: ${s.clients.created} (${Object.entries(s.clients.byLibrary).map(([k, v]) => `${k} ${v}`).join(', ')}), max open ${s.clients.maxOpen}`,
    s.connections ? `connections: peak ${s.connections.peak}, steady ${s.connections.steady}, baseline ${s.connections.baseline}` : 'connections: not counted',
    `run file: ${options.jsonPath}${options.htmlPath ? `, report: ${options.htmlPath}` : ''}`,
    '',
  ].join('\n');
}
