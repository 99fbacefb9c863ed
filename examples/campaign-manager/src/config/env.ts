import { z } from 'zod';

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().positive().default(3000),
  DATABASE_URL: z.string().min(1, 'DATABASE_URL is required'),
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  SLACK_WEBHOOK_URL: z.string().url().optional(),
  /** Soft bounces a contact may collect before we stop mailing them. */
  BOUNCE_SUPPRESSION_THRESHOLD: z.coerce.number().int().min(1).default(3),
});

export type Env = z.infer<typeof EnvSchema>;

export const env: Env = EnvSchema.parse(process.env);
