// Next.js request handlers by file location: route.ts files under app/, and everything under
// pages/api/. Kept apart from classify.ts so that worker threads do not load the glob matcher.
export const NEXT_ROUTE_FILE = /(^|\/)app\/(.+\/)?route\.[cm]?[jt]sx?$|(^|\/)pages\/api\//;

/** Returns the route path a Next.js route file serves (`app/api/tasks/[id]/route.ts` → `/api/tasks/[id]`). */
export function nextRoutePath(relativeFile: string): string | null {
  const app = /(?:^|\/)app((?:\/[^/]+)*)\/route\.[cm]?[jt]sx?$/.exec(relativeFile);
  if (app) return (app[1] ?? '').replace(/\/\([^)]*\)/g, '') || '/';
  const pages = /(?:^|\/)pages(\/api\/.+?)(?:\/index)?\.[cm]?[jt]sx?$/.exec(relativeFile);
  return pages ? pages[1]! : null;
}

export function isNextRouteFile(relativeFile: string): boolean {
  return NEXT_ROUTE_FILE.test(relativeFile);
}

