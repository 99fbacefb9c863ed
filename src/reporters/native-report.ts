/**
 * The `leakhound native` report in every format `scan` has: a terminal view (production addons
 * first, what each holds, measured costs), JSON (the inventory as-is, versioned), Markdown
 * tables, and SARIF (addons as notes on their package.json, missing builds and heap snapshot
 * files as warnings).
 */
import { createColors } from 'picocolors';
import { formatBytes } from '../rules/support.js';
import { heapSnapshot } from '../rules/heap-snapshot.js';
import { formatSarif, type SarifRule } from './sarif.js';
import type { Finding } from '../types.js';
import type { NativeAddon, NativeInventory, NativeMeasurement } from '../native/types.js';
import { plural } from './describe.js';

export interface NativeDocument extends NativeInventory {
  schemaVersion: 1;
  tool: { name: 'leakhound'; version: string };
}

export function formatNativeJson(inventory: NativeInventory, version: string): string {
  const document: NativeDocument = { schemaVersion: 1, tool: { name: 'leakhound', version }, ...inventory };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** The headline: how many addons, how many the application loads, what they weigh. */
export function nativeHeadline(inventory: NativeInventory): string {
  const { summary } = inventory;
  if (summary.addons === 0) return `No native addons among ${plural(summary.packages, 'installed package')}`;
  const measured = summary.measuredRssBytes === null ? '' : `; loading them measured +${formatBytes(summary.measuredRssBytes)} RSS`;
  return (
    `${plural(summary.addons, 'native package')}, ${summary.productionAddons} reached from production dependencies: ` +
    `${formatBytes(summary.productionLoadableBytes)} of binaries this machine would load${measured}`
  );
}

function detailLine(inventory: NativeInventory, seconds: boolean): string {
  const parts = [
    `${inventory.layout === 'none' ? 'no node_modules' : `${inventory.layout} layout`}`,
    plural(inventory.summary.packages, 'package'),
    ...(inventory.workspaces.length > 0 ? [plural(inventory.workspaces.length, 'workspace')] : []),
    ...(inventory.summary.binaryBytes > 0 ? [`${formatBytes(inventory.summary.binaryBytes)} of native files on disk (all platforms)`] : []),
  ];
  if (seconds) parts.push(`${(inventory.summary.durationMs / 1000).toFixed(2)} s`);
  return parts.join(' · ');
}

const GROUPS: { title: string; test: (addon: NativeAddon) => boolean }[] = [
  { title: 'Loaded in production', test: (addon) => addon.production },
  { title: 'Development only (reached from devDependencies)', test: (addon) => !addon.production && addon.dev },
  { title: 'Installed but not required by the application', test: (addon) => !addon.production && !addon.dev },
];

export function formatNativePretty(inventory: NativeInventory, options: { color: boolean }): string {
  const c = createColors(options.color);
  const out: string[] = [c.bold(nativeHeadline(inventory)), c.dim(`  ${detailLine(inventory, true)}`)];
  for (const group of GROUPS) {
    const addons = inventory.addons.filter(group.test);
    if (addons.length === 0) continue;
    out.push('', c.bold(`${group.title} (${addons.length})`));
    for (const addon of addons) {
      const size = addon.binaries.length === 0 ? c.yellow('no binary') : formatBytes(addon.loadableBytes || addon.binaryBytes);
      out.push(`  ${c.cyan(`${addon.name}${addon.version ? `@${addon.version}` : ''}`)}  ${addon.category}  ${size}  ${c.dim(kindsLabel(addon))}`);
      out.push(`    ${c.dim(addon.path)}`);
      const via = viaLabel(addon);
      if (via) out.push(`    via ${via}`);
      const missing = missingBuild(addon);
      if (missing) out.push(`    ${c.yellow(missing)}`);
      if (addon.note) out.push(`    ${c.dim(addon.note)}`);
      if (addon.measured) {
        const text = measuredLabel(addon.measured);
        out.push(`    ${addon.measured.status === 'loaded' ? c.green(text) : c.red(text)}`);
      }
    }
  }
  if (inventory.heapSnapshots.length > 0) {
    out.push('', c.bold(c.yellow(`Heap snapshots in the project (${inventory.heapSnapshots.length}, ${formatBytes(inventory.summary.heapSnapshotBytes)})`)));
    for (const snapshot of inventory.heapSnapshots) out.push(`  ${c.cyan(snapshot.file)}  ${formatBytes(snapshot.bytes)}`);
    out.push(c.dim('  Delete them and add *.heapsnapshot to .gitignore; each is as large as the heap it captured.'));
  }
  if (inventory.warnings.length > 0) {
    out.push('', c.bold(c.yellow(plural(inventory.warnings.length, 'warning'))));
    for (const warning of inventory.warnings) out.push(`  ${c.yellow(warning.path ? `${warning.path}  ` : '')}${warning.message}`);
  }
  if (inventory.addons.some((addon) => addon.production && !addon.measured)) {
    out.push('', c.dim('Run with --measure to load each production addon in a fresh process and measure what it costs.'));
  }
  return `${out.join('\n')}\n`;
}

export function formatNativeMarkdown(inventory: NativeInventory): string {
  const out: string[] = ['# leakhound native', '', `**${nativeHeadline(inventory)}**`, '', `_${detailLine(inventory, false)}_`];
  const measured = inventory.addons.some((addon) => addon.measured);
  for (const group of GROUPS) {
    const addons = inventory.addons.filter(group.test);
    if (addons.length === 0) continue;
    out.push('', `## ${group.title} (${addons.length})`, '');
    out.push(`| Package | Category | Binary | Kind | Via |${measured ? ' Measured |' : ''}`, `| --- | --- | --- | --- | --- |${measured ? ' --- |' : ''}`);
    for (const addon of addons) {
      const size = addon.binaries.length === 0 ? 'no binary' : formatBytes(addon.loadableBytes || addon.binaryBytes);
      const cells = [`\`${addon.name}@${addon.version ?? '?'}\``, addon.category, size, kindsLabel(addon), viaLabel(addon) || '—'];
      if (measured) cells.push(addon.measured ? measuredLabel(addon.measured) : '—');
      out.push(`| ${cells.map(escapeCell).join(' | ')} |`);
    }
  }
  if (inventory.heapSnapshots.length > 0) {
    out.push('', `## Heap snapshots (${inventory.heapSnapshots.length}, ${formatBytes(inventory.summary.heapSnapshotBytes)})`, '');
    for (const snapshot of inventory.heapSnapshots) out.push(`- \`${snapshot.file}\` — ${formatBytes(snapshot.bytes)}`);
  }
  if (inventory.warnings.length > 0) {
    out.push('', `## ${plural(inventory.warnings.length, 'warning')}`, '');
    for (const warning of inventory.warnings) out.push(`- ${warning.path ? `\`${warning.path}\`: ` : ''}${escapeCell(warning.message)}`);
  }
  return `${out.join('\n')}\n`;
}

export const NATIVE_RULES: SarifRule[] = [
  {
    id: 'native-addon',
    defaultSeverity: 'info',
    summary: 'A native addon or WebAssembly module the application loads in production',
    description:
      'Native addons allocate outside the V8 heap: heap snapshots and heap metrics do not show what they hold, only RSS and external memory do. Know which ones the service loads, and measure them with `leakhound native --measure`.',
    fixable: false,
  },
  {
    id: 'native-addon-not-built',
    defaultSeverity: 'warning',
    summary: 'A native package with no compiled binary for this machine',
    description:
      'The package needs a compiled binary but none is installed for this platform: its install script did not run (`--ignore-scripts`, a cached install from another platform) or could not download a prebuild. It will fail when it is first required.',
    fixable: false,
  },
  // The scan's rule: its doc page covers snapshot files too.
  heapSnapshot.meta,
];

export function formatNativeSarif(inventory: NativeInventory, version: string, docsDir: string): string {
  const findings: Finding[] = [];
  for (const addon of inventory.addons) {
    if (!addon.production) continue;
    const missing = missingBuild(addon);
    const base = { file: `${addon.path}/package.json`, line: 0, column: 0, data: { name: addon.name, version: addon.version, category: addon.category, loadableBytes: addon.loadableBytes } };
    findings.push({
      ...base,
      ruleId: missing ? 'native-addon-not-built' : 'native-addon',
      severity: missing ? 'warning' : 'info',
      message: `${addon.name}${addon.version ? `@${addon.version}` : ''} (${addon.category})${viaLabel(addon) ? ` via ${viaLabel(addon)}` : ''}: ${missing ?? `${formatBytes(addon.loadableBytes)} of native code loaded in production`}${addon.measured ? `; ${measuredLabel(addon.measured)}` : ''}${addon.note ? `. ${addon.note}` : ''}`,
      fingerprint: `${missing ? 'native-addon-not-built' : 'native-addon'}:${addon.name}`,
    });
  }
  for (const snapshot of inventory.heapSnapshots) {
    findings.push({
      ruleId: 'heap-snapshot',
      severity: 'warning',
      file: snapshot.file,
      line: 0,
      column: 0,
      message: `Heap snapshot file of ${formatBytes(snapshot.bytes)} in the project: delete it and add *.heapsnapshot to .gitignore.`,
      fingerprint: `heap-snapshot:${snapshot.file}`,
      data: { bytes: snapshot.bytes },
    });
  }
  const warnings = inventory.warnings.map((warning) => ({ kind: warning.kind, file: warning.path, message: warning.message }));
  return formatSarif({ root: inventory.root, tool: { name: 'leakhound', version }, findings, warnings }, { rules: NATIVE_RULES, docsDir });
}

/** `node-gyp-build, prebuilds` — how the package gets its native code. */
function kindsLabel(addon: NativeAddon): string {
  return [...addon.kinds.filter((kind) => kind !== 'loader'), ...addon.loaders].join(', ');
}

/** `next › sharp › @img/sharp-linux-x64` for the shortest chain; `+2 more` when there are others. */
function viaLabel(addon: NativeAddon): string {
  if (addon.via.length === 0) return '';
  const shortest = [...addon.via].sort((a, b) => a.chain.length - b.chain.length)[0]!;
  const where = shortest.declaredIn === 'package.json' ? '' : ` (${shortest.declaredIn.replace(/\/package\.json$/, '')})`;
  const chain = shortest.chain.length === 1 ? `${shortest.dependency}, a direct ${shortest.type === 'devDependencies' ? 'devDependency' : 'dependency'}` : shortest.chain.join(' › ');
  const others = new Set(addon.via.map((via) => via.dependency));
  others.delete(shortest.dependency);
  return `${chain}${where}${others.size > 0 ? ` (+${others.size} more: ${[...others].slice(0, 3).join(', ')}${others.size > 3 ? ', …' : ''})` : ''}`;
}

/** Why a native package has nothing to load, when that is the case. */
export function missingBuild(addon: NativeAddon): string | null {
  if (addon.binaries.some((binary) => binary.kind === 'node' && binary.thisPlatform !== false)) return null;
  if (addon.binaries.some((binary) => binary.kind !== 'node') && !addon.kinds.includes('binding-gyp') && addon.loaders.length === 0) return null;
  if (addon.binaries.some((binary) => binary.kind === 'node')) return 'no binary for this platform among its prebuilds: it will be compiled or fail at install';
  return 'no compiled binary: its install script did not run (--ignore-scripts?) or failed; requiring it will throw';
}

function measuredLabel(measured: NativeMeasurement): string {
  if (measured.status !== 'loaded') return `${measured.status}: ${measured.error ?? 'no detail'}`;
  const signed = (bytes: number | null) => (bytes === null ? '?' : `${bytes < 0 ? '−' : '+'}${formatMegabytes(Math.abs(bytes))}`);
  const shared = measured.sharedObjects.reduce((sum, object) => sum + (object.bytes ?? 0), 0);
  return (
    `measured ${signed(measured.rssBytes)} RSS, heap ${signed(measured.heapUsedBytes)}, external ${signed(measured.externalBytes)}, arrayBuffers ${signed(measured.arrayBuffersBytes)}` +
    `${measured.sharedObjects.length > 0 ? `, ${plural(measured.sharedObjects.length, 'shared object')} (${formatBytes(shared)} on disk)` : ''}` +
    ` — ${measured.loadMs} ms to ${measured.loadedWith === 'binary' ? 'load its binaries' : measured.loadedWith}, median of ${plural(measured.runs, 'run')}` +
    `${measured.error ? ` (entry: ${measured.error})` : ''}`
  );
}

/** Small deltas matter here: 0.3 MB, not "1 KB … 0 MB". */
function formatMegabytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
