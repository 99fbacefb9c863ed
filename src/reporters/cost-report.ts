/**
 * The `leakhound cost` report: a terminal view (where and how it was measured, a table per
 * library and series, the conclusions in one line each), Markdown tables, and JSON (the cost
 * file itself, the same document `--out` writes).
 */
import { createColors } from 'picocolors';
import type { CostFile, CostPoint, LibraryCost } from '../cost/cost-file.js';
import { clientName, databaseLine, formatSize, libraryConclusions, libraryTitle, machineLine } from '../cost/describe-cost.js';
import { plural } from './describe.js';
import { escapeCell } from './markdown.js';

export function formatCostJson(file: CostFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

function methodLine(file: CostFile): string {
  return (
    `a fresh process per point, N = ${file.settings.points.join(', ')}; medians of ${plural(file.settings.repeats, 'run')}; ` +
    `two full GCs before each sample; ${(file.durationMs / 1000).toFixed(0)} s`
  );
}

function serverLine(file: CostFile): string {
  const started = file.database.embedded ? 'started by leakhound for this measurement; ' : '';
  return file.server.measured ? `${started}memory per connection read from /proc/<pid>/smaps_rollup of each backend` : `${started}server memory not measured: ${file.server.reason}`;
}

interface Column {
  title: string;
  cell: (point: CostPoint) => string;
}

function columns(file: CostFile, first: string): Column[] {
  const size = (key: 'rss' | 'heapUsed' | 'external') => (point: CostPoint) => (point.median ? formatSize(point.median[key]) : '–');
  return [
    { title: first, cell: (point) => String(point.n) },
    { title: 'RSS', cell: size('rss') },
    { title: 'heap used', cell: size('heapUsed') },
    { title: 'external', cell: size('external') },
    { title: 'connections', cell: (point) => (point.median?.connections == null ? '–' : String(point.median.connections)) },
    ...(file.server.measured ? [{ title: 'server (private)', cell: (point: CostPoint) => (point.median?.serverPrivate == null ? '–' : formatSize(point.median.serverPrivate)) }] : []),
    { title: 'runs', cell: (point) => failuresCell(point) },
  ];
}

function failuresCell(point: CostPoint): string {
  const runs = point.repeats.length + point.failures.length;
  if (point.failures.length === 0) return String(runs);
  const kinds = [...new Set(point.failures.map((failure) => failure.status))].join(', ');
  return `${point.repeats.length} of ${runs} (${kinds})`;
}

function series(library: LibraryCost): { title: string; first: string; points: CostPoint[] }[] {
  return [
    { title: `Clients: N × ${clientName(library)}, each after one query (N = 0: the library loaded, no client)`, first: 'clients', points: [library.perClient.baseline, ...library.perClient.points] },
    { title: `Connections: one ${clientName(library)} holding N connections`, first: 'connections', points: library.perConnection.points },
  ];
}

function failureLines(library: LibraryCost): string[] {
  const points = [library.perClient.baseline, ...library.perClient.points, ...library.perConnection.points];
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const point of points) {
    for (const failure of point.failures) {
      const text = `${failure.status}: ${failure.error}`;
      if (seen.has(text)) continue;
      seen.add(text);
      lines.push(text);
    }
  }
  return lines;
}

export function formatCostPretty(file: CostFile, options: { color: boolean }): string {
  const c = createColors(options.color);
  const out: string[] = [c.bold('leakhound cost: what one more client and one more connection cost here')];
  out.push(`  ${c.dim('machine ')}  ${machineLine(file)}`);
  out.push(`  ${c.dim('database')}  ${databaseLine(file)}`);
  out.push(`  ${c.dim('server  ')}  ${serverLine(file)}`);
  out.push(`  ${c.dim('method  ')}  ${methodLine(file)}`);
  for (const library of file.libraries) {
    out.push('', c.bold(`${libraryTitle(library)}: ${library.description}`), c.dim(`  from ${library.entry}`));
    for (const { title, first, points } of series(library)) {
      out.push(`  ${title}`);
      const table = columns(file, first);
      const rows = [table.map((column) => column.title), ...points.map((point) => table.map((column) => column.cell(point)))];
      const widths = table.map((_, index) => Math.max(...rows.map((row) => row[index]!.length)));
      rows.forEach((row, index) => {
        const text = row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
        out.push(`    ${index === 0 ? c.dim(text) : text}`);
      });
    }
    for (const line of libraryConclusions(library, file)) out.push(`  ${c.green('→')} ${line}`);
    for (const line of failureLines(library)) out.push(`  ${c.red('✗')} ${line}`);
  }
  if (file.warnings.length > 0) {
    out.push('', c.bold(c.yellow(plural(file.warnings.length, 'warning'))));
    for (const warning of file.warnings) out.push(`  ${warning}`);
  }
  return `${out.join('\n')}\n`;
}

export function formatCostMarkdown(file: CostFile): string {
  const out: string[] = ['# leakhound cost', '', `- **Machine:** ${machineLine(file)}`, `- **Database:** ${databaseLine(file)}`, `- **Server:** ${serverLine(file)}`, `- **Method:** ${methodLine(file)}`];
  for (const library of file.libraries) {
    out.push('', `## ${libraryTitle(library)}: ${library.description}`, '', `From \`${library.entry}\`.`, '');
    for (const line of libraryConclusions(library, file)) out.push(`- ${escapeCell(line)}`);
    for (const { title, first, points } of series(library)) {
      const table = columns(file, first);
      out.push('', `### ${title}`, '', `| ${table.map((column) => column.title).join(' | ')} |`, `| ${table.map(() => '---:').join(' | ')} |`);
      for (const point of points) out.push(`| ${table.map((column) => escapeCell(column.cell(point))).join(' | ')} |`);
    }
    const failures = failureLines(library);
    if (failures.length > 0) out.push('', '**Failed runs**', '', ...failures.map((line) => `- ${escapeCell(line)}`));
  }
  if (file.warnings.length > 0) out.push('', `## ${plural(file.warnings.length, 'warning')}`, '', ...file.warnings.map((warning) => `- ${escapeCell(warning)}`));
  return `${out.join('\n')}\n`;
}
