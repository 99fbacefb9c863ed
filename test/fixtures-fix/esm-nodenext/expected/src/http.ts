import type { IncomingMessage, ServerResponse } from 'node:http';

export type Handler = (req: IncomingMessage & { body?: Record<string, unknown> }, res: ServerResponse) => Promise<void>;

const routes = new Map<string, Handler>();

export const router = {
  get(path: string, handler: Handler): void {
    routes.set(`GET ${path}`, handler);
  },
  post(path: string, handler: Handler): void {
    routes.set(`POST ${path}`, handler);
  },
};
