/**
 * Where a site sits in an application: is it test code, and which part of the service is it
 * (the grouping the field reports use: routes, services, jobs, scripts, tests).
 */
import ignore from 'ignore';
import type { Category, ContextKind } from '../types.js';
import { NEXT_ROUTE_FILE } from './next-routes.js';

/** gitignore-style patterns; a file matching any of them is test code. */
export const DEFAULT_TEST_PATTERNS: readonly string[] = [
  '*.test.*',
  '*.spec.*',
  '*.e2e-spec.*',
  '*.e2e.*',
  '*.bench.*',
  '__tests__/',
  '__mocks__/',
  '__fixtures__/',
  'test/',
  'tests/',
  'e2e/',
  'spec/',
  'cypress/',
  'playwright/',
  'test-utils/',
  'test-helpers/',
  'testing/',
  'jest.setup.*',
  'vitest.setup.*',
  'setupTests.*',
  'jest.config.*',
  'vitest.config.*',
  'playwright.config.*',
];

export type TestMatcher = (relativeFile: string) => boolean;

export function createTestMatcher(patterns: readonly string[] = DEFAULT_TEST_PATTERNS): TestMatcher {
  const matcher = ignore().add([...patterns]);
  return (relativeFile) => matcher.ignores(relativeFile);
}

const ROUTE_DIRS = new Set([
  'routes', 'route', 'routers', 'router', 'api', 'controllers', 'controller', 'handlers',
  'endpoints', 'resolvers', 'graphql', 'middleware', 'middlewares', 'webhooks',
]);
const JOB_DIRS = new Set([
  'jobs', 'job', 'workers', 'worker', 'queues', 'queue', 'processors', 'cron', 'crons',
  'consumers', 'schedulers', 'scheduler', 'tasks', 'listeners', 'subscribers',
]);
const SCRIPT_DIRS = new Set([
  'scripts', 'script', 'bin', 'seeds', 'seed', 'seeders', 'migrations', 'tools', 'cli', 'commands',
]);
const SERVICE_DIRS = new Set([
  'services', 'service', 'repositories', 'repository', 'repos', 'lib', 'libs', 'db', 'database',
  'data', 'models', 'dal', 'providers', 'adapters', 'domain', 'modules', 'core', 'server',
]);

const ROUTE_FILE = /\.(controller|controllers|route|routes|router|handler|handlers|resolver|api)\.[cm]?[jt]sx?$/;
const JOB_FILE = /\.(job|jobs|worker|workers|processor|processors|queue|queues|cron|consumer|task|tasks)\.[cm]?[jt]sx?$/;
const SCRIPT_FILE = /(^|\/)(seed|migrate|backfill)[^/]*\.[cm]?[jt]sx?$/;
const SERVICE_FILE = /\.(service|services|repository|repo|dao|model|provider)\.[cm]?[jt]sx?$/;
/**
 * What encloses a site says more than where the file lives: a client built inside an Express
 * handler is a route's client wherever the router file sits. Then the file name's suffix
 * (`*.service.ts`), then the nearest telling directory, deepest first.
 */
export function categorize(relativeFile: string, inTest: boolean, context: ContextKind): Category {
  if (inTest) return 'test';
  if (context === 'route-handler') return 'route';
  if (context === 'queue-processor' || context === 'timer') return 'job';
  if (context === 'nest-provider') return 'service';
  if (NEXT_ROUTE_FILE.test(relativeFile) || ROUTE_FILE.test(relativeFile)) return 'route';
  if (JOB_FILE.test(relativeFile)) return 'job';
  if (SERVICE_FILE.test(relativeFile)) return 'service';
  if (SCRIPT_FILE.test(relativeFile)) return 'script';
  const dirs = relativeFile.split('/').slice(0, -1).map((d) => d.toLowerCase());
  for (let i = dirs.length - 1; i >= 0; i--) {
    const dir = dirs[i]!;
    if (ROUTE_DIRS.has(dir)) return 'route';
    if (JOB_DIRS.has(dir)) return 'job';
    if (SCRIPT_DIRS.has(dir)) return 'script';
    if (SERVICE_DIRS.has(dir)) return 'service';
  }
  return 'other';
}
