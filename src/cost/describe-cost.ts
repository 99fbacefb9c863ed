/**
 * Wording shared by the `leakhound cost` report and the measured units `scan --cost` adds:
 * sizes, where and how a cost file was measured, and the one-line conclusions per library.
 */
import type { CostFile, CostFit, LibraryCost } from './cost-file.js';

const MB = 1024 * 1024;

/** `25 KB`, `0.31 MB`, `4.7 MB`, `58 MB`, `1.2 GB`: enough digits to tell small costs apart. */
export function formatSize(bytes: number): string {
  if (bytes === 0) return '0';
  const size = Math.abs(bytes);
  const sign = bytes < 0 ? '−' : '';
  if (size >= 1024 * MB) return `${sign}${(size / 1024 / MB).toFixed(1)} GB`;
  if (size >= 100 * MB) return `${sign}${(size / MB).toFixed(0)} MB`;
  if (size >= 10 * MB) return `${sign}${(size / MB).toFixed(1)} MB`;
  if (size >= MB) return `${sign}${(size / MB).toFixed(2)} MB`;
  if (size >= 10 * 1024) return `${sign}${(size / 1024).toFixed(0)} KB`;
  return `${sign}${(size / 1024).toFixed(1)} KB`;
}

/** `+0.31 MB` or `−12 KB`. */
export function signedSize(bytes: number): string {
  return bytes < 0 ? formatSize(bytes) : `+${formatSize(bytes)}`;
}

/** `vm: linux x64, 2 CPUs (AMD EPYC), 23.5 GB RAM, Node v20.20.2`. */
export function machineLine(file: CostFile): string {
  const { machine } = file;
  return `${machine.hostname}: ${machine.platform} ${machine.arch}, ${machine.cpus} ${machine.cpus === 1 ? 'CPU' : 'CPUs'} (${machine.cpuModel}), ${formatSize(machine.totalMemory)} RAM, Node ${machine.node}`;
}

/** `embedded PostgreSQL 18.4` or `PostgreSQL 16.2 at postgresql://app:****@db:5432/app`. */
export function databaseLine(file: CostFile): string {
  return file.database.embedded ? `embedded PostgreSQL ${file.database.serverVersion}` : `PostgreSQL ${file.database.serverVersion} at ${file.database.url}`;
}

/** `measured on vm (linux x64, 2 CPUs, Node v20.20.2) against embedded PostgreSQL 18.4 by leakhound cost 0.1.0 on 2026-01-02`. */
export function sourceLine(file: CostFile): string {
  const { machine } = file;
  return (
    `measured on ${machine.hostname} (${machine.platform} ${machine.arch}, ${machine.cpus} ${machine.cpus === 1 ? 'CPU' : 'CPUs'}, Node ${machine.node}) ` +
    `against ${file.database.embedded ? `embedded PostgreSQL ${file.database.serverVersion}` : `PostgreSQL ${file.database.serverVersion}`} ` +
    `by \`leakhound cost\` ${file.tool.version} on ${file.measuredAt.slice(0, 10)}`
  );
}

/** What one client of the library is called in sentences. */
export function clientName(library: LibraryCost): string {
  if (library.library === 'prisma') return 'PrismaClient';
  if (library.library === 'pg') return 'pg.Pool';
  return `${library.library} client`;
}

/** `Prisma 7.10.1`, `pg 8.23.1`. */
export function libraryTitle(library: LibraryCost): string {
  return `${library.library === 'prisma' ? 'Prisma' : library.library} ${library.version}`;
}

/**
 * Server memory one connection adds: the per-connection slope of the backends' private
 * memory, else the per-client one divided by the connections each client opened.
 */
export function serverBytesPerConnection(library: LibraryCost): number | null {
  const direct = library.perConnection.fits.serverPrivate;
  if (direct) return direct.slope;
  const perClient = library.perClient.fits.serverPrivate;
  const connections = library.perClient.fits.connections;
  return perClient && connections && connections.slope > 0 ? perClient.slope / connections.slope : null;
}

/** Client-side RSS of one more connection in a pool (never below zero: noise is not a saving). */
export function clientBytesPerConnection(library: LibraryCost): number | null {
  const fit = library.perConnection.fits.rss;
  return fit ? Math.max(0, fit.slope) : null;
}

/** Client-side RSS of one more client that ran one query (never below zero). */
export function clientBytesPerClient(library: LibraryCost): number | null {
  const fit = library.perClient.fits.rss;
  return fit ? Math.max(0, fit.slope) : null;
}

/** `+0.31 MB RSS (0.25 MB to 0.40 MB across runs)`; the range only when the runs disagree. */
function slopeText(fit: CostFit, what: string): string {
  const spread = fit.low !== fit.high ? ` (${formatSize(fit.low)} to ${formatSize(fit.high)} across runs)` : '';
  return `${signedSize(fit.slope)} ${what}${spread}`;
}

function count(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** The conclusions of one library's measurement, one sentence each. */
export function libraryConclusions(library: LibraryCost, file: CostFile): string[] {
  const lines: string[] = [];
  const name = clientName(library);
  const { fits, oneTime } = library.perClient;
  const server = serverBytesPerConnection(library);
  const connections = fits.connections?.slope ?? null;
  if (fits.rss) {
    const parts = [fits.rss.slope > 0 ? slopeText(fits.rss, 'RSS') : `no RSS growth above the noise (slope ${formatSize(fits.rss.slope)})`];
    if (fits.heapUsed) parts.push(`${signedSize(fits.heapUsed.slope)} heap`);
    if (connections !== null) {
      const serverPart = server !== null ? ` ≈ ${signedSize(server * connections)} on the server` : '';
      parts.push(`+${count(connections)} ${connections === 1 ? 'connection' : 'connections'} after its first query (up to ${library.poolMax} when its pool fills)${serverPart}`);
    }
    lines.push(`each extra ${name}: ${parts.join(', ')}`);
  }
  if (oneTime) {
    const why = library.library === 'prisma' && Number.parseInt(library.version, 10) >= 7 ? ': Prisma 7 compiles and optimises its WebAssembly query compiler' : '';
    lines.push(`the first ${name} also costs ${signedSize(oneTime.rss)} RSS once (${signedSize(oneTime.heapUsed)} heap)${why}`);
  }
  const perConnection = library.perConnection.fits;
  if (perConnection.rss) {
    const serverPart =
      server !== null
        ? `, ${signedSize(server)} on the server (private memory${perConnection.serverPss ? `; ${formatSize(perConnection.serverPss.slope)} PSS` : ''})`
        : file.server.reason
          ? ` (server memory not measured: ${file.server.reason})`
          : '';
    lines.push(`each extra connection: ${slopeText(perConnection.rss, 'RSS here')}${serverPart}`);
    const here = clientBytesPerConnection(library);
    if (server !== null && here !== null) {
      lines.push(`a full pool (${library.poolMax} connections): ≈ ${formatSize(server * library.poolMax)} on the server, ≈ ${formatSize(here * library.poolMax)} here`);
    }
  }
  return lines;
}
