/**
 * heap-snapshot: heap snapshots written by the service itself — on a timer, at start-up, or by
 * `--heapsnapshot-near-heap-limit` — and snapshot files left in the tree. Writing a snapshot
 * stops the process and needs about as much memory again as the heap it writes.
 */
import { formatBytes } from './support.js';
import type { FindingDraft, Rule } from './types.js';

const SNAPSHOT_CALLS: Record<string, RegExp> = {
  writeHeapSnapshot: /^(node:)?v8$/,
  getHeapSnapshot: /^(node:)?v8$/,
  writeSnapshot: /^heapdump$/,
};

export const heapSnapshot: Rule = {
  meta: {
    id: 'heap-snapshot',
    defaultSeverity: 'warning',
    summary: 'Heap snapshots written on a timer, at start-up or near the heap limit; snapshot files in the tree',
    description:
      'Writing a heap snapshot blocks the event loop for seconds and needs roughly as much memory again as the heap being written: on a timer or near the memory limit it is what pushes the process over. Each file is as large as the heap. Take snapshots on demand (a signal or an admin endpoint) and keep them out of the repository.',
    fixable: false,
  },
  check({ project }) {
    const findings: FindingDraft[] = [];
    for (const [file, observations] of project.observations) {
      if (project.isTest(file)) continue;
      for (const call of observations.calls) {
        const source = SNAPSHOT_CALLS[call.name];
        if (!source || !source.test(call.importedFrom ?? '')) continue;
        const kind = call.context.kind;
        if (kind !== 'timer' && kind !== 'module') continue;
        findings.push({
          file,
          line: call.line,
          column: call.column,
          key: `${call.name}:${call.context.name ?? kind}`,
          severity: kind === 'timer' ? 'error' : undefined,
          message:
            kind === 'timer'
              ? `${call.name}() runs on a timer (${call.context.name ?? 'setInterval'}): every snapshot stops the process and needs about as much memory again as its heap, and each file is as large as the heap. Take snapshots on demand instead.`
              : `${call.name}() runs at start-up, on every boot of every replica. Take snapshots on demand (e.g. --heapsnapshot-signal=SIGUSR2) instead.`,
          data: { trigger: kind },
        });
      }
    }
    for (const command of project.commandLines) {
      // Procfile, Dockerfile, compose, TOML and .npmrc lines starting with # are comments.
      if (command.text.startsWith('#')) continue;
      const flag = /--heapsnapshot-near-heap-limit(?:=(\d+))?/.exec(command.text);
      if (!flag) continue;
      findings.push({
        file: command.file,
        line: command.line,
        column: 1,
        key: `flag:${command.text}`,
        message: `--heapsnapshot-near-heap-limit${flag[1] ? `=${flag[1]}` : ''} writes heap snapshots as the process nears its limit; writing one needs about as much memory again as the heap, so on a memory-capped container it tends to cause the very OOM kill it was meant to explain.`,
        data: { snapshots: flag[1] ? Number(flag[1]) : null },
      });
    }
    const total = project.heapSnapshots.reduce((sum, snapshot) => sum + snapshot.bytes, 0);
    for (const snapshot of project.heapSnapshots) {
      findings.push({
        file: snapshot.file,
        line: 1,
        column: 1,
        key: `file:${snapshot.file}`,
        message: `Heap snapshot file of ${formatBytes(snapshot.bytes)} in the project${project.heapSnapshots.length > 1 ? ` (${project.heapSnapshots.length} files, ${formatBytes(total)} in all)` : ''}: delete it and add *.heapsnapshot to .gitignore.`,
        data: { bytes: snapshot.bytes, totalBytes: total },
      });
    }
    return findings;
  },
};
