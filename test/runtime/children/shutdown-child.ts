/**
 * A child process for the shutdown tests. SCENARIO (env) picks what it registers; it prints
 * one line per event with writeSync (nothing is lost when the process dies of a signal) and
 * `ready` once the parent may send its signal.
 */
import { writeSync } from 'node:fs';
import { configureShutdown, disconnectShared, onShutdown, shared } from '../../../src/runtime/index.js';

const say = (line: string) => writeSync(1, `${line}\n`);
const scenario = process.env.SCENARIO ?? 'closers';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
// What keeps a server alive: a ref'd handle. The closers clear it, as a server's would.
let keepAlive: NodeJS.Timeout | undefined = setInterval(() => undefined, 60_000);
const release = () => {
  if (keepAlive) clearInterval(keepAlive);
  keepAlive = undefined;
};

const closer = (name: string, work?: () => Promise<unknown>) => async (context: { reason: string }) => {
  say(`closer ${name} start ${context.reason}`);
  await work?.();
  say(`closer ${name} done`);
};

switch (scenario) {
  case 'closers': {
    configureShutdown({ timeoutMs: 5000 });
    onShutdown(release, { name: 'release' });
    const a = closer('a', () => sleep(30));
    onShutdown(a);
    onShutdown(a); // the same function twice: one closer
    onShutdown(closer('b-old'), { name: 'b' });
    onShutdown(closer('b', () => sleep(30)), { name: 'b' }); // same name: replaces, keeps the place
    onShutdown(closer('c'));
    const unregister = onShutdown(closer('never'));
    unregister();
    unregister(); // twice is harmless
    say(`listeners SIGTERM=${process.listenerCount('SIGTERM')} SIGINT=${process.listenerCount('SIGINT')} beforeExit=${process.listenerCount('beforeExit')}`);
    break;
  }
  case 'hung': {
    onShutdown(release, { name: 'release' });
    onShutdown(closer('first'));
    onShutdown(
      ({ signal }) =>
        new Promise(() => {
          say('closer hung start');
          signal.addEventListener('abort', () => say('closer hung aborted'));
        }),
      { name: 'hung', timeoutMs: 300 },
    );
    onShutdown(() => {
      throw new Error('closer failed on purpose');
    }, { name: 'throws' });
    break;
  }
  case 'second-signal': {
    onShutdown(release, { name: 'release' });
    onShutdown(() => {
      say('closer slow start');
      return sleep(20_000);
    }, { name: 'slow', timeoutMs: 30_000 });
    break;
  }
  case 'own-listener': {
    onShutdown(closer('a', () => sleep(50)));
    process.on('SIGTERM', () => {
      say('user handler');
      // The program decides when to exit; leakhound must not kill it first.
      setTimeout(() => {
        say('user exits');
        process.exit(7);
      }, 400);
    });
    break;
  }
  case 'before-exit': {
    release(); // nothing keeps the process alive: it ends on its own
    process.exitCode = 3;
    onShutdown(closer('a'));
    onShutdown(closer('async', () => sleep(100)));
    break;
  }
  case 'unregistered': {
    const off = onShutdown(closer('a'));
    off();
    say(`listeners SIGTERM=${process.listenerCount('SIGTERM')} beforeExit=${process.listenerCount('beforeExit')}`);
    break;
  }
  case 'two-copies': {
    // A dev server that reloads the module: a second copy of the runtime, same registry.
    const copy = (await import(`../../../src/runtime/index.js?copy=${Date.now()}`)) as typeof import('../../../src/runtime/index.js');
    onShutdown(release, { name: 'release' });
    onShutdown(closer('from-first-copy'));
    copy.onShutdown(closer('from-second-copy'));
    copy.onShutdown(closer('renamed-in-copy'), { name: 'release' }); // same name across copies: replaced
    onShutdown(release, { name: 'release-again' });
    say(`listeners SIGTERM=${process.listenerCount('SIGTERM')}`);
    break;
  }
  case 'prisma': {
    const pg = (await import('pg')).default;
    const { PrismaPg } = await import('@prisma/adapter-pg');
    const { PrismaClient } = (await import(process.env.PRISMA_ENTRY!)) as { PrismaClient: new (options: unknown) => { user: { count(): Promise<number> } } };
    const url = process.env.DATABASE_URL!;
    const connections = async () => {
      const probe = new pg.Client({ connectionString: url });
      await probe.connect();
      const result = await probe.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'leakhound-shutdown-child'");
      await probe.end();
      return (result.rows[0] as { n: number }).n;
    };
    // Registered first, so it runs last: it sees what the other closers left behind.
    onShutdown(async () => say(`connections after closers ${await connections()}`), { name: 'count' });
    onShutdown(disconnectShared, { name: 'shared clients' });
    onShutdown(release, { name: 'release' });
    const prisma = shared('prisma', () => new PrismaClient({ adapter: new PrismaPg({ connectionString: `${url}?application_name=leakhound-shutdown-child` }) }));
    say(`users ${await prisma.user.count()}`);
    say(`connections before ${await connections()}`);
    break;
  }
  default:
    throw new Error(`unknown scenario ${scenario}`);
}
say('ready');
