import type { NextFunction, Request, Response } from 'express';
import type { ZodTypeAny } from 'zod';

/** Parses `req.body` with `schema`; answers 400 with the issues when it does not fit. */
export function validateBody(schema: ZodTypeAny) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const parsed = schema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: 'invalid body', issues: parsed.error.issues });
      return;
    }
    req.body = parsed.data;
    next();
  };
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
