/** Wording shared by the human-readable reporters, so pretty and markdown say the same things. */
import type { Category, ClientSite, Report } from '../types.js';

export const CATEGORY_TITLES: Record<Category, string> = {
  route: 'Routes and request handlers',
  service: 'Services and libraries',
  job: 'Jobs, workers and timers',
  script: 'Scripts',
  test: 'Tests',
  other: 'Other',
};

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

export function siteLocation(site: Pick<ClientSite, 'file' | 'line' | 'column'>): string {
  return `${site.file}:${site.line}:${site.column}`;
}

/** "once per process", "on every call of POST /:id/reschedule", … */
export function whenItRuns(site: ClientSite): string {
  if (site.singleton === 'globalThis') return 'once (globalThis singleton)';
  if (site.singleton === 'lazy') return 'once (cached on first use)';
  if (site.context.kind === 'nest-provider') return `once per NestJS module that provides it: ${site.context.name}`;
  if (site.scope === 'module') return 'once per process, at import';
  const name = site.context.name ? ` ${site.context.name}` : '';
  switch (site.context.kind) {
    case 'route-handler':
      return `on every request:${name}`;
    case 'queue-processor':
      return `on every job:${name}`;
    case 'timer':
      return `on every tick:${name}`;
    case 'event-listener':
      return `on every event:${name}`;
    case 'constructor':
      return `for every instance:${name}`;
    case 'instance-field':
      return `for every instance:${name}`;
    default:
      return `on every call:${name || ' (anonymous function)'}`;
  }
}

export function headline(report: Report): string {
  const { summary } = report;
  const libraries = Object.keys(summary.byLibrary);
  const what = libraries.length === 1 && libraries[0] === 'prisma' ? 'Prisma client' : 'database client';
  return `${plural(summary.sites, `${what} construction site`)} in ${plural(summary.siteFiles, 'file')}`;
}

export function summaryLines(report: Report): string[] {
  const { summary } = report;
  const lines = [headline(report)];
  if (summary.sites === 0) return lines;
  const live = report.clients.filter((site) => !site.inTest && site.scope === 'module').length;
  lines.push(`${plural(live, 'runs', 'run')} once per process (outside tests)`);
  lines.push(`${plural(summary.perCall, 'runs', 'run')} on every call: per request, job, instance or function call`);
  if (summary.singletons > 0) lines.push(`${plural(summary.singletons, 'is a singleton', 'are singletons')} (cached on globalThis or on first use)`);
  if (summary.inTests > 0) lines.push(`${plural(summary.inTests, 'is', 'are')} in tests`);
  return lines;
}

export function scannedLine(report: Report): string {
  const { summary } = report;
  const skipped = summary.skipped.buildOutput + summary.skipped.generated;
  const skippedText = skipped > 0 ? `; skipped ${plural(skipped, 'build or generated file')}` : '';
  return `scanned ${plural(summary.filesScanned, 'file')} (${summary.filesParsed} analysed) in ${(summary.durationMs / 1000).toFixed(2)} s${skippedText}`;
}

export function groupByCategory(clients: ClientSite[]): [Category, ClientSite[]][] {
  const order: Category[] = ['route', 'service', 'job', 'script', 'other', 'test'];
  return order
    .map((category) => [category, clients.filter((site) => site.category === category)] as [Category, ClientSite[]])
    .filter(([, sites]) => sites.length > 0);
}

/** `new Db`, or `provides PrismaService` for a class NestJS constructs. */
export function constructorLabel(site: ClientSite): string {
  return site.context.kind === 'nest-provider' ? `provides ${site.callee}` : `new ${site.callee}`;
}
