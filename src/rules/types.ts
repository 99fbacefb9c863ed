/**
 * A rule is its metadata plus `check(context) → findings`. It returns problems, never prints
 * them; a fix is data on the finding (text edits), applied by `leakhound fix`.
 */
import type { RuleId, ScanSettings } from '../config/settings.js';
import type { ClientSite, Severity, TextEdit } from '../types.js';
import type { ProjectFacts } from './project-facts.js';

export interface RuleMeta {
  id: RuleId;
  defaultSeverity: Severity;
  /** One line for tables and SARIF's shortDescription. */
  summary: string;
  /** A paragraph for SARIF's fullDescription and `--help`: why it matters. */
  description: string;
  /** Can a finding carry a safe fix? */
  fixable: boolean;
}

export interface RuleContext {
  /** Every construction site the scan found (tests included; rules decide what counts). */
  clients: readonly ClientSite[];
  /** What the parsed files say beyond construction sites, and the project's config files. */
  project: ProjectFacts;
  settings: ScanSettings;
}

/** A finding before the severity and fingerprint are settled. */
export interface FindingDraft {
  file: string;
  line: number;
  column: number;
  message: string;
  /**
   * Identifies the problem independently of its line (for baselines): the site's context name,
   * the collection's name, … Unique within the rule and file together with an occurrence count.
   */
  key: string;
  /** Other places that belong to the problem (the other clients, the listener…). */
  related?: { file: string; line: number; column: number; message: string }[];
  /** Figures the report can rank and show: connections, sites, bytes. */
  data?: { [name: string]: number | string | boolean | null };
  /** Raise the severity above the rule's level (`per-call-client` without `$disconnect`). */
  severity?: Severity;
  fix?: TextEdit[];
}

export interface Rule {
  meta: RuleMeta;
  check(context: RuleContext): FindingDraft[];
}
