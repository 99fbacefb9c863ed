/**
 * `scan --cost cost.json`: the scan's connection counts in measured units. The scan knows how
 * many clients a service keeps alive, how many it builds per call, and how many connections
 * each may open; the cost file knows what one client, one connection in this process and one
 * connection on the server cost on the machine it was measured on. Multiplying them is all
 * this does — and it says where the figures come from every time.
 *
 * Only PostgreSQL connections are priced (the cost file measures PostgreSQL); clients whose
 * database the scan could not tell (`unknown`) are priced too, and the estimate says so.
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { clientNoun, isServiceCode, liveClients } from '../rules/support.js';
import type { ClientSite, Finding, Report } from '../types.js';
import { CostFileError, parseCostFile, type CostFile, type LibraryCost } from './cost-file.js';
import { clientBytesPerClient, clientBytesPerConnection, clientName, formatSize, libraryTitle, serverBytesPerConnection, sourceLine } from './describe-cost.js';

/** The measured units a scan report carries under `cost` (with `scan --cost`). */
export interface MeasuredCost {
  /** The cost file as given on the command line. */
  file: string;
  /** `measured on vm (linux x64, 2 CPUs, Node v20.20.2) against embedded PostgreSQL 18.4 by leakhound cost 0.1.0 on 2026-01-02`. */
  source: string;
  measuredAt: string;
  /** Server memory of one connection (private memory of its backend), or null when not measured, with the reason. */
  serverBytesPerConnection: number | null;
  serverNote: string | null;
  estimates: CostEstimate[];
}

export interface CostEstimate {
  /** `postgresql`, or `unknown` when the scan could not tell (priced as PostgreSQL). */
  database: string;
  /** Clients alive for the life of the process, per library. */
  liveClients: Record<string, number>;
  connectionsPerReplica: number;
  replicas: number;
  potentialConnections: number;
  /** Potential connections × measured server memory per connection. */
  serverBytes: number | null;
  /** In each process when every live pool is full: measured per client and per connection. */
  clientBytes: number | null;
  /** Paid once per process by the first client of each measured library (Prisma 7's WebAssembly). */
  oneTimeBytes: number | null;
  /** Libraries of live clients the cost file has no client-side figures for (not in clientBytes). */
  unmeasuredLibraries: string[];
  /** Sites that build a client on every call, and what one such call costs. */
  perCallSites: number;
  perCall: { connections: number; serverBytes: number | null; clientBytes: number | null } | null;
  /**
   * Where the scan's assumed pool size differs from the pool the measured library opens by
   * default (a Prisma 7 client counted with Prisma 6's connection_limit default, say).
   */
  notes: string[];
  /** The estimate in one sentence (and its notes). */
  summary: string;
}

const PRICED_DATABASES = new Set(['postgresql', 'unknown']);

/** Said instead of estimates when the scan found no client the cost file can price. */
export const NOTHING_TO_PRICE = 'No PostgreSQL client in the scanned code outside tests and scripts: nothing to price.';

/** Reads and checks a cost file; a missing or invalid one is a usage error with what to do. */
export function readCostFile(path: string, name: string): CostFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read the cost file ${name}${code === 'ENOENT' ? ': no such file' : `: ${(error as Error).message}`}`, `make one with \`leakhound cost --out ${name}\``);
  }
  try {
    return parseCostFile(text, name);
  } catch (error) {
    if (error instanceof CostFileError) throw new UsageError(error.message, `make a new one with \`leakhound cost --out ${name}\``);
    throw error;
  }
}

/**
 * Puts the measured units into the report: `report.cost`, and on the findings that count
 * connections (connection-budget, multiple-clients, per-call-client) a measured figure in
 * `data` and a sentence at the end of the message.
 */
export function applyMeasuredCost(report: Report, cost: CostFile, options: { file: string; replicas: number }): void {
  const measured = measuredCost(report, cost, options);
  report.cost = measured;
  const when = `measured by leakhound cost on ${cost.machine.hostname}, ${cost.measuredAt.slice(0, 10)}`;
  const siteAt = new Map(report.clients.map((site) => [`${site.file}:${site.line}:${site.column}`, site]));
  for (const finding of report.findings) {
    const site = siteAt.get(`${finding.file}:${finding.line}:${finding.column}`);
    const sentence = findingCost(finding, site, cost, measured.serverBytesPerConnection);
    if (sentence) finding.message = `${finding.message} ${sentence} (${when})`;
  }
}

function measuredCost(report: Report, cost: CostFile, options: { file: string; replicas: number }): MeasuredCost {
  const server = anyServerBytes(cost);
  const databases = new Set(report.clients.filter((site) => isServiceCode(site) && PRICED_DATABASES.has(site.pool.database)).map((site) => site.pool.database));
  const estimates = [...databases].sort().map((database) => estimateFor(database, report.clients, cost, options.replicas, server));
  return {
    file: options.file,
    source: sourceLine(cost),
    measuredAt: cost.measuredAt,
    serverBytesPerConnection: server,
    serverNote: server === null ? (cost.server.reason ?? 'the cost file has no server-side figure') : null,
    estimates,
  };
}

function estimateFor(database: string, clients: ClientSite[], cost: CostFile, replicas: number, server: number | null): CostEstimate {
  const live = liveClients(clients).filter((site) => site.pool.database === database);
  const perCall = clients.filter((site) => isServiceCode(site) && site.scope === 'function' && site.pool.database === database);
  const byLibrary: Record<string, number> = {};
  for (const site of live) byLibrary[site.library] = (byLibrary[site.library] ?? 0) + 1;
  const connectionsPerReplica = live.reduce((sum, site) => sum + site.pool.connections, 0);
  const potentialConnections = connectionsPerReplica * replicas;
  const priced = live.map((site) => ({ site, bytes: clientBytes(site, libraryOf(cost, site.library)) }));
  const unmeasuredLibraries = [...new Set(priced.filter((item) => item.bytes === null).map((item) => item.site.library))];
  const measuredLive = priced.filter((item) => item.bytes !== null);
  const oneTimeLibraries = new Set(measuredLive.map((item) => item.site.library));
  const oneTimeBytes = oneTimeLibraries.size === 0 ? null : [...oneTimeLibraries].reduce((sum, library) => sum + Math.max(0, libraryOf(cost, library)?.perClient.oneTime?.rss ?? 0), 0);
  const worstCall = [...perCall].sort((a, b) => b.pool.connections - a.pool.connections)[0];
  const estimate: CostEstimate = {
    database,
    liveClients: byLibrary,
    connectionsPerReplica,
    replicas,
    potentialConnections,
    serverBytes: server === null ? null : potentialConnections * server,
    clientBytes: measuredLive.length === 0 ? null : measuredLive.reduce((sum, item) => sum + item.bytes!, 0),
    oneTimeBytes,
    unmeasuredLibraries,
    perCallSites: perCall.length,
    perCall: worstCall
      ? {
          connections: worstCall.pool.connections,
          serverBytes: server === null ? null : worstCall.pool.connections * server,
          clientBytes: clientBytes(worstCall, libraryOf(cost, worstCall.library)),
        }
      : null,
    notes: poolNotes(live, cost),
    summary: '',
  };
  estimate.summary = [summarize(estimate, live, cost), ...estimate.notes].join(' ');
  return estimate;
}

function poolNotes(live: ClientSite[], cost: CostFile): string[] {
  const notes: string[] = [];
  for (const library of cost.libraries) {
    const assumed = live.filter((site) => site.library === library.library && !site.pool.stated && site.pool.connections !== library.poolMax);
    if (assumed.length === 0) continue;
    const sizes = [...new Set(assumed.map((site) => site.pool.connections))].join(' or ');
    notes.push(
      `The scan assumed ${sizes} connections for ${assumed.length} ${clientNoun(library.library, assumed.length)} whose pool size the code does not state; ` +
        `${libraryTitle(library)} as measured opens up to ${library.poolMax} (${library.poolMaxBasis}).`,
    );
  }
  return notes;
}

/** One client with its pool full, in this process: the per-client cost plus its further connections. */
function clientBytes(site: ClientSite, library: LibraryCost | undefined): number | null {
  if (!library) return null;
  const perClient = clientBytesPerClient(library);
  const perConnection = clientBytesPerConnection(library);
  if (perClient === null) return null;
  const opened = Math.max(1, Math.round(library.perClient.fits.connections?.slope ?? 1));
  return perClient + Math.max(0, site.pool.connections - opened) * (perConnection ?? 0);
}

function libraryOf(cost: CostFile, library: string): LibraryCost | undefined {
  return cost.libraries.find((measured) => measured.library === library);
}

/** A connection is a backend whoever opened it: any library's server-side figure will do. */
function anyServerBytes(cost: CostFile): number | null {
  for (const library of cost.libraries) {
    const bytes = serverBytesPerConnection(library);
    if (bytes !== null) return Math.max(0, bytes);
  }
  return null;
}

function summarize(estimate: CostEstimate, live: ClientSite[], cost: CostFile): string {
  const name = estimate.database === 'unknown' ? 'Database (not stated; priced as PostgreSQL)' : 'PostgreSQL';
  const parts: string[] = [];
  if (live.length > 0) {
    const libraries = Object.keys(estimate.liveClients);
    const who = libraries.length === 1 ? `${live.length} live ${clientNoun(libraries[0]!, live.length)}` : `${live.length} live clients`;
    const sizes = new Set(live.map((site) => site.pool.connections));
    const opens = sizes.size === 1 ? `${who} × ${[...sizes][0]} connections = ${estimate.connectionsPerReplica} potential connections` : `${who} may open ${estimate.connectionsPerReplica} connections`;
    const replicas = estimate.replicas > 1 ? ` × ${estimate.replicas} replicas = ${estimate.potentialConnections}` : '';
    const onServer = estimate.serverBytes === null ? '' : ` ≈ ${formatSize(estimate.serverBytes)} on the server`;
    parts.push(`${opens}${replicas}${onServer}`);
    if (estimate.clientBytes !== null) {
      const where = estimate.replicas > 1 ? 'in each replica' : 'in this process';
      const once = estimate.oneTimeBytes ? `, plus ${formatSize(estimate.oneTimeBytes)} once for the first ${oneTimeName(live, cost)}` : '';
      const unpriced = estimate.unmeasuredLibraries.length > 0 ? ` (not counting ${estimate.unmeasuredLibraries.join(', ')}: not in the cost file)` : '';
      parts.push(`≈ ${formatSize(estimate.clientBytes)} ${where} when every pool is full${once}${unpriced}`);
    }
  }
  if (estimate.perCall) {
    const here = estimate.perCall.clientBytes === null ? '' : `≈ ${formatSize(estimate.perCall.clientBytes)} here and `;
    const there = estimate.perCall.serverBytes === null ? '' : ` ≈ ${formatSize(estimate.perCall.serverBytes)} on the server`;
    parts.push(
      `${estimate.perCallSites} ${estimate.perCallSites === 1 ? 'site builds' : 'sites build'} a client on every call: each call adds ${here}up to ${estimate.perCall.connections} connections${there}, until the client is collected`,
    );
  }
  return `${name}: ${parts.join('; ')}.`;
}

function oneTimeName(live: ClientSite[], cost: CostFile): string {
  const measured = cost.libraries.filter((library) => live.some((site) => site.library === library.library));
  return measured.length === 1 ? clientName(measured[0]!) : 'client of each library';
}

/** The measured sentence for a finding that counts connections, and the figure in its data. */
function findingCost(finding: Finding, site: ClientSite | undefined, cost: CostFile, server: number | null): string | null {
  const data = finding.data;
  if (!data) return null;
  const database = typeof data.database === 'string' ? data.database : site?.pool.database;
  if (database === undefined || !PRICED_DATABASES.has(database)) return null;
  const onServer = (connections: number) => (server === null ? null : connections * server);
  if (finding.ruleId === 'connection-budget') {
    if (typeof data.potential === 'number') {
      const bytes = onServer(data.potential);
      if (bytes === null) return null;
      data.measuredServerBytes = bytes;
      return `Measured: ${data.potential} connections ≈ ${formatSize(bytes)} of server memory.`;
    }
    return null;
  }
  if (finding.ruleId === 'multiple-clients' && typeof data.connections === 'number' && typeof data.clients === 'number') {
    const library = libraryOf(cost, String(data.library));
    const perClient = site && library ? clientBytes(site, library) : null;
    const bytes = onServer(data.connections);
    if (bytes === null && perClient === null) return null;
    if (bytes !== null) data.measuredServerBytes = bytes;
    if (perClient !== null) data.measuredClientBytes = perClient * data.clients;
    const parts = [...(bytes === null ? [] : [`${data.connections} connections ≈ ${formatSize(bytes)} on the server`]), ...(perClient === null ? [] : [`≈ ${formatSize(perClient * data.clients)} in this process`])];
    return `Measured: ${parts.join(', ')}.`;
  }
  if (finding.ruleId === 'per-call-client' && typeof data.connectionsPerCall === 'number' && site) {
    const here = clientBytes(site, libraryOf(cost, site.library));
    const bytes = onServer(data.connectionsPerCall);
    if (bytes === null && here === null) return null;
    if (bytes !== null) data.measuredServerBytesPerCall = bytes;
    if (here !== null) data.measuredClientBytesPerCall = here;
    const parts = [...(here === null ? [] : [`≈ ${formatSize(here)} here`]), ...(bytes === null ? [] : [`up to ${data.connectionsPerCall} connections ≈ ${formatSize(bytes)} on the server`])];
    return `Measured: each call adds ${parts.join(' and ')}.`;
  }
  return null;
}
