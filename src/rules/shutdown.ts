/**
 * shutdown: two mistakes around closing clients. A service with live clients that never
 * disconnects them on SIGTERM/SIGINT; and the opposite, `$disconnect()` (or `.end()`,
 * `.quit()`) on the shared client inside a request handler or job.
 */
import { DISPOSAL_METHODS, type CallFact } from '../core/observations.js';
import { at, clientNoun, liveClients } from './support.js';
import type { FindingDraft, Rule } from './types.js';
import type { ClientSite } from '../types.js';

/**
 * Functions whose job is to shut things down: closing clients there is right. `signal` covers
 * terminus's `onSignal` cleanup hook and signal handlers such as `handleSignal`.
 */
const SHUTDOWN_NAMES = /shutdown|disconnect|teardown|cleanup|clean_up|close|dispose|destroy|stop|exit|terminate|signal|onModuleDestroy|ApplicationShutdown|\bmain\b|SIGTERM|SIGINT|beforeExit|process\.on|finally/i;

export const shutdown: Rule = {
  meta: {
    id: 'shutdown',
    defaultSeverity: 'warning',
    summary: 'No graceful shutdown that disconnects the clients, or the shared client disconnected inside a handler',
    description:
      "Without a SIGTERM/SIGINT handler Node exits at once on a deploy or scale-down: in-flight queries are cut and the database sees connections dropped mid-transaction. The opposite mistake, disconnecting the shared client at the end of a request or job, makes the next one reconnect (a new pool, a new handshake) and breaks requests that run concurrently.",
    fixable: false,
  },
  check({ clients, project }) {
    const findings: FindingDraft[] = [];
    const live = liveClients(clients);
    const hooks = [...project.observations].flatMap(([file, observations]) =>
      project.isTest(file) ? [] : observations.shutdownHooks.map((hook) => ({ file, ...hook })),
    );
    const nestHooksOn = hooks.some((hook) => hook.what === 'enableShutdownHooks');
    const closing = hooks.filter((hook) => {
      // SIGUSR2 asks for a heap snapshot or a nodemon restart; no platform stops a service with
      // it. Node never emits beforeExit on a signal or process.exit(): it is no shutdown path.
      if (hook.what === 'enableShutdownHooks' || hook.what === 'SIGUSR2' || hook.what === 'beforeExit') return false;
      if (/^(onModuleDestroy|beforeApplicationShutdown|onApplicationShutdown)$/.test(hook.what)) return nestHooksOn && hook.disconnects !== false;
      return hook.disconnects !== false;
    });
    if (live.length > 0 && closing.length === 0) {
      const notClosing = hooks.find((hook) => /^(SIGTERM|SIGINT|SIGHUP|beforeExit)$/.test(hook.what));
      const anchor: { file: string; line: number; column: number } = notClosing ?? live.find((site) => site.singleton) ?? live[0]!;
      const libraries = [...new Set(live.map((site) => site.library))];
      const what = libraries.length === 1 ? clientNoun(libraries[0]!, live.length) : 'database clients';
      const nestNote = hooks.some((hook) => /^(onModuleDestroy|beforeApplicationShutdown|onApplicationShutdown)$/.test(hook.what)) && !nestHooksOn
        ? ' NestJS runs onModuleDestroy on signals only after app.enableShutdownHooks().'
        : '';
      findings.push({
        ...anchor,
        key: 'no-shutdown',
        message: notClosing
          ? notClosing.what === 'beforeExit'
            ? `The beforeExit handler at ${at(notClosing)} never runs on SIGTERM/SIGINT (Node emits beforeExit only when the event loop empties), so the ${live.length} live ${what} are not disconnected on a deploy. Handle SIGTERM and SIGINT instead.${nestNote}`
            : `The ${notClosing.what} handler at ${at(notClosing)} does not disconnect the ${live.length} live ${what}; close them there before exiting.${nestNote}`
          : `${live.length} live ${what} (${live.slice(0, 3).map(at).join(', ')}${live.length > 3 ? ', …' : ''}) but nothing handles SIGTERM/SIGINT to disconnect them: a deploy cuts in-flight queries.${nestNote} Register one shutdown handler that disconnects each client once.`,
        related: live.map((site) => ({ file: site.file, line: site.line, column: site.column, message: `live ${clientNoun(site.library)}` })),
        data: { liveClients: live.length, shutdownHooks: hooks.length },
      });
    }
    findings.push(...disconnectsInHandlers(clients, project.observations, project.isTest));
    return findings;
  },
};

function disconnectsInHandlers(
  clients: readonly ClientSite[],
  observations: ReadonlyMap<string, { calls: CallFact[] }>,
  isTest: (file: string) => boolean,
): FindingDraft[] {
  const findings: FindingDraft[] = [];
  const sharedNames = new Set(liveClients(clients).flatMap((site) => (site.assignedTo ? [lastSegment(site.assignedTo)] : [])));
  for (const [file, { calls }] of observations) {
    if (isTest(file) || /(^|\/)(scripts?|bin|seeds?|migrations?)\//.test(file)) continue;
    const builtHere = clients.filter((site) => site.file === file && site.scope === 'function');
    for (const call of calls) {
      if (!DISPOSAL_METHODS.has(call.name) || call.receiver === null) continue;
      if (call.context.kind === 'module' || call.context.kind === 'static-field') continue;
      if (call.context.name !== null && SHUTDOWN_NAMES.test(call.context.name)) continue;
      if (call.inFinally && builtHere.some((site) => site.assignedTo === call.receiver)) continue;
      if (builtHere.some((site) => site.assignedTo === call.receiver && site.context.line === call.context.line)) continue;
      // `$disconnect` is Prisma's alone; `.end()`/`.quit()` only on a name a live client is stored in.
      const isShared = call.name === '$disconnect' || (sharedNames.has(lastSegment(call.receiver)) && call.receiverRoot !== 'local' && call.receiverRoot !== 'param');
      if (!isShared) continue;
      findings.push({
        file,
        line: call.line,
        column: call.column,
        key: `disconnect:${call.context.name ?? call.receiver}`,
        severity: 'error',
        message: `${call.receiver}.${call.name}() inside ${call.context.name ?? `a ${call.context.kind}`} closes the shared client after every call: the next request reconnects from scratch and concurrent ones fail. Remove it; disconnect once, on shutdown.`,
        data: { context: call.context.kind },
      });
    }
  }
  return findings;
}

function lastSegment(expression: string): string {
  return expression.replace(/^.*\./, '');
}
