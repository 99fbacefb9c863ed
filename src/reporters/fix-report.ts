/**
 * What `leakhound fix` prints: the unified diff (a dry run's whole point is to be read, and
 * `git apply` takes it as it is) on stdout, then a summary of what changed, what was left and
 * why. JSON carries the same, with each file's diff.
 */
import pc from 'picocolors';
import type { FixResult } from '../fix/fix.js';

export function formatFixDiff(result: FixResult, color: boolean): string {
  const paint = pc.createColors(color);
  return result.changes
    .map((change) =>
      change.diff
        .split('\n')
        .map((line) => {
          if (line.startsWith('+++') || line.startsWith('---')) return paint.bold(line);
          if (line.startsWith('@@')) return paint.cyan(line);
          if (line.startsWith('+')) return paint.green(line);
          if (line.startsWith('-')) return paint.red(line);
          return line;
        })
        .join('\n'),
    )
    .join('');
}

export function formatFixSummary(result: FixResult, color: boolean): string {
  const paint = pc.createColors(color);
  const { summary, shared } = result;
  const lines: string[] = [];
  if (!shared) {
    lines.push(result.left.length === 0 ? 'Nothing to fix: no Prisma client construction outside the shared module.' : 'Nothing could be rewritten:');
  } else {
    const verb = result.written ? 'Rewrote' : 'Would rewrite';
    if (summary.sitesRewritten === 0) lines.push(`Nothing to rewrite: every client that can share ${shared.file} already does.`);
    else lines.push(
      paint.bold(`${verb} ${summary.sitesRewritten} ${summary.sitesRewritten === 1 ? 'site' : 'sites'} in ${summary.filesChanged} ${summary.filesChanged === 1 ? 'file' : 'files'} to one shared client`) +
        ` (${shared.created ? 'new module' : 'the codebase\'s own'} ${shared.file}, export ${shared.exportName})`,
    );
    if (summary.disconnectsRemoved > 0) {
      // A module leakhound wrote has its shutdown hook; the codebase's own may or may not.
      const owner = shared.created ? "the shared module's shutdown hook disconnects once" : 'disconnect the shared client once at shutdown (leakhound scan says whether something does)';
      lines.push(`  ${summary.disconnectsRemoved} per-call $disconnect() ${summary.disconnectsRemoved === 1 ? 'call' : 'calls'} removed: ${owner}`);
    }
  }
  if (result.left.length > 0) {
    lines.push('', paint.bold(`Left as they are (${result.left.length}):`));
    for (const item of result.left) lines.push(`  ${item.file}:${item.line}:${item.column}  ${paint.dim(item.reason)}`);
  }
  if (result.warnings.length > 0) {
    lines.push('', paint.yellow(`Not analysed (${result.warnings.length}): sites in these files are neither fixed nor listed`));
    for (const warning of result.warnings) lines.push(`  ${warning.file ?? '(project)'}${warning.line ? `:${warning.line}:${warning.column ?? 1}` : ''}  ${paint.dim(warning.message)}`);
  }
  if (shared && !result.written && summary.filesChanged > 0) lines.push('', `Dry run: nothing was written. Apply with ${paint.bold('leakhound fix --write')} (or pipe this diff to \`git apply\`).`);
  return `${lines.join('\n')}\n`;
}

export function formatFixJson(result: FixResult): string {
  return `${JSON.stringify(
    {
      root: result.root,
      written: result.written,
      shared: result.shared,
      summary: result.summary,
      changes: result.changes.map((change) => ({ file: change.file, created: change.before === null, sitesRewritten: change.sitesRewritten, disconnectsRemoved: change.disconnectsRemoved, diff: change.diff })),
      left: result.left,
      warnings: result.warnings,
    },
    null,
    2,
  )}\n`;
}
