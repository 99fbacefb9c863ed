/**
 * The config file's schema: the one source of truth for what users may write in
 * `leakhound.config.*` or the `leakhound` key of package.json. Strict: an unknown key is an
 * error, so a typo never silently turns a setting off. The resolved form, with defaults, is
 * `ScanSettings` (settings.ts).
 *
 * Every schema carries its expectation as its error message ("a positive integer"): the
 * message formatter (issues.ts) adds the path and the value that was found.
 */
// zod/mini: the same schemas and JSON schema output as `zod` at a tenth of the bundle (the
// classic API added ~750 KB and ~25 ms to every start of the CLI).
import * as z from 'zod/mini';
import { FAIL_ON_LEVELS } from '../ci/gate.js';
import { RULE_IDS, type RuleId, type RuleOptions } from './settings.js';

const RULE_LEVELS = ['off', 'info', 'warning', 'error'] as const;

// The id makes it one named definition in the JSON schema instead of twenty copies.
const ruleLevel = z.enum(RULE_LEVELS, { error: '"off", "info", "warning" or "error"' }).check(
  z.meta({ id: 'ruleLevel', description: '"off" drops the rule\'s findings; otherwise the severity its findings get.' }),
);

function positiveInteger(description: string) {
  const expected = 'a positive integer';
  return z.int({ error: expected }).check(z.positive({ error: expected }), z.describe(description));
}

function patternList(description: string) {
  return z.array(z.string({ error: 'a string' }), { error: 'an array of strings' }).check(z.describe(description));
}

/** Options a rule takes besides `severity`; keys and names follow `RuleOptions` exactly. */
const RULE_OPTION_SHAPES = {
  'transaction-timeout': {
    maxWaitMs: z.optional(positiveInteger('Interactive transactions may wait this long for a connection (ms) before it is a finding. Default 10000.')),
    timeoutMs: z.optional(positiveInteger('Interactive transactions may run this long (ms) before it is a finding. Default 20000.')),
  },
  'pool-config': {
    idleTimeoutMs: z.optional(positiveInteger('Pool idle timeouts above this (ms) keep idle connections open for too long. Default 60000.')),
  },
} satisfies { [Rule in keyof RuleOptions]: { [Option in keyof RuleOptions[Rule]]: z.ZodMiniOptional<z.ZodMiniInt> } };

type OptionShapes = typeof RULE_OPTION_SHAPES;

type RuleSettingSchema<Id extends RuleId> = z.ZodMiniOptional<
  z.ZodMiniUnion<
    [
      typeof ruleLevel,
      z.ZodMiniObject<{ severity: z.ZodMiniOptional<typeof ruleLevel> } & (Id extends keyof OptionShapes ? OptionShapes[Id] : {}), z.core.$strict>,
    ]
  >
>;

/** The option names a rule accepts in its object form (`severity` first). */
export function ruleOptionNames(id: RuleId): string[] {
  const shape: Record<string, unknown> = (RULE_OPTION_SHAPES as Partial<Record<RuleId, Record<string, unknown>>>)[id] ?? {};
  return ['severity', ...Object.keys(shape)];
}

function ruleSetting(id: RuleId) {
  const options = (RULE_OPTION_SHAPES as Partial<Record<RuleId, z.core.$ZodLooseShape>>)[id] ?? {};
  const form = Object.keys(options).length > 0 ? `{ severity, ${Object.keys(options).join(', ')} }` : '{ severity }';
  return z.optional(
    z.union([ruleLevel, z.strictObject({ severity: z.optional(ruleLevel), ...options }, { error: 'an object' })], {
      error: `"off", "info", "warning", "error" or ${form}`,
    }),
  );
}

// Built from RULE_IDS so a new rule is configurable as soon as it has an id; the cast gives
// each rule its own option keys in the inferred type, which Object.fromEntries cannot.
const rulesShape = Object.fromEntries(RULE_IDS.map((id) => [id, ruleSetting(id)])) as unknown as {
  [Id in RuleId]: RuleSettingSchema<Id>;
};

export const configSchema = z
  .strictObject(
    {
      $schema: z.optional(z.string({ error: 'a string' }).check(z.describe('The JSON schema of this file, for editors.'))),
      rules: z.optional(
        z
          .strictObject(rulesShape, { error: 'an object' })
          .check(z.describe('Per rule: "off", a severity, or an object with "severity" and the rule\'s options.')),
      ),
      ignore: z.optional(patternList('Paths to skip, gitignore-style, relative to the scanned directory. `--ignore` adds to them.')),
      testPatterns: z.optional(patternList('What counts as test code, gitignore-style; replaces the defaults. `--test-pattern` replaces these.')),
      replicas: z.optional(positiveInteger('How many copies of the service run at once (dynos, pods, cluster workers). Default 1.')),
      maxConnections: z.optional(positiveInteger("The database's max_connections. Default 100.")),
      cpus: z.optional(positiveInteger('CPU cores of the machine the service runs on (Prisma <= 6 sizes its pool as cores x 2 + 1). Default 2.')),
      failOn: z.optional(
        z
          .enum(FAIL_ON_LEVELS, { error: '"error", "warning" or "never"' })
          .check(z.describe('The lowest severity that makes `leakhound scan` exit 1. Default "error".')),
      ),
    },
    { error: 'an object' },
  )
  .check(z.describe('leakhound configuration: leakhound.config.json, leakhound.config.{ts,mts,js,mjs,cjs} or the "leakhound" key of package.json.'));

/** What a leakhound config file may contain (`leakhound.config.*` or package.json's `leakhound`). */
export type LeakhoundConfig = z.infer<typeof configSchema>;

/** Top-level keys, for "did you mean" on a misspelt key. */
export const CONFIG_KEYS: readonly string[] = Object.keys(configSchema.shape);

/** The config file's JSON schema (draft-07), as published in docs/leakhound.config.schema.json. */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configSchema, { target: 'draft-7' }) as Record<string, unknown>;
}

/** docs/leakhound.config.schema.json's exact text. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
