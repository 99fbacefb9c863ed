/**
 * Config file + command line → the settings a scan runs with. The command line wins over the
 * file, the file over the defaults.
 */
import type { FailOn } from '../ci/gate.js';
import type { LeakhoundConfig } from './schema.js';
import { DEFAULT_SETTINGS, RULE_IDS, type RuleLevel, type RuleOptions, type ScanSettings } from './settings.js';

/** Settings given on the command line; undefined means "not given". */
export interface CliOverrides {
  replicas?: number;
  maxConnections?: number;
  cpus?: number;
  failOn?: FailOn;
  /** Added to the config's `ignore` (a command-line ignore never un-ignores what the project ignores). */
  ignore?: string[];
  /** Replaces the config's `testPatterns`. */
  testPatterns?: string[];
}

export interface ResolvedSettings {
  settings: ScanSettings;
  /** undefined: nothing beyond the scanner's own skips. */
  ignore: string[] | undefined;
  /** undefined: the scanner's default test patterns. */
  testPatterns: string[] | undefined;
  failOn: FailOn;
}

export function resolveSettings(config: LeakhoundConfig, cli: CliOverrides = {}): ResolvedSettings {
  const rules: ScanSettings['rules'] = {};
  for (const id of RULE_IDS) {
    const setting = config.rules?.[id];
    const level: RuleLevel | undefined = typeof setting === 'object' ? setting.severity : setting;
    if (level !== undefined) rules[id] = level;
  }
  // Every option the defaults know, taken from the rule's object form when it sets it; the
  // schema ties those option names to RuleOptions.
  const ruleOptions = structuredClone(DEFAULT_SETTINGS.ruleOptions);
  for (const id of Object.keys(ruleOptions) as (keyof RuleOptions)[]) {
    const setting = config.rules?.[id];
    if (typeof setting !== 'object') continue;
    const target = ruleOptions[id] as Record<string, number>;
    for (const option of Object.keys(target)) {
      const value = (setting as Record<string, unknown>)[option];
      if (typeof value === 'number') target[option] = value;
    }
  }

  const ignore = [...(config.ignore ?? []), ...(cli.ignore ?? [])];
  return {
    settings: {
      replicas: cli.replicas ?? config.replicas ?? DEFAULT_SETTINGS.replicas,
      maxConnections: cli.maxConnections ?? config.maxConnections ?? DEFAULT_SETTINGS.maxConnections,
      cpus: cli.cpus ?? config.cpus ?? DEFAULT_SETTINGS.cpus,
      rules,
      ruleOptions,
    },
    ignore: ignore.length > 0 ? ignore : undefined,
    testPatterns: cli.testPatterns ?? config.testPatterns,
    failOn: cli.failOn ?? config.failOn ?? 'error',
  };
}
