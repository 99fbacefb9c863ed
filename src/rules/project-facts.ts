/**
 * Everything a rule may look at besides the construction sites: observations from each parsed
 * file, the job queues, and what the project's configuration files say.
 */
import type { Observations } from '../core/observations.js';
import type { CommandLine, PackageManifest } from '../core/project-config.js';
import type { PoolEstimate } from '../libraries/types.js';
import type { ClientSite, EnclosingContext, OptionValue } from '../types.js';

/** A Bull / BullMQ queue or worker construction. */
export interface QueueSite {
  library: string;
  /** `Queue`, `Worker`, `FlowProducer`. */
  exportName: string;
  file: string;
  line: number;
  column: number;
  /** The queue's name when it is a string literal. */
  queueName: string | null;
  args: OptionValue[];
  assignedTo: string | null;
  context: EnclosingContext;
  inTest: boolean;
  /** End offset of the construction (to add an options argument). */
  end: number;
  optionsRange: { start: number; end: number; keys: string[] } | null;
}

export interface SiteDetails {
  /** The function the site runs in (offsets), null at module level. */
  enclosingFunction: { start: number; end: number } | null;
}

export interface ProjectFacts {
  root: string;
  /** Observations of every parsed source file, by relative path. */
  observations: ReadonlyMap<string, Observations>;
  isTest(file: string): boolean;
  queues: readonly QueueSite[];
  /** Pool estimates with the details the rules need (timeouts), by site. */
  poolOf(site: ClientSite): PoolEstimate;
  /** Where a site sits in its file beyond its position (for disposal checks and fixes). */
  detailsOf(site: ClientSite): SiteDetails;
  /** `*.heapsnapshot` files in the tree (even git-ignored ones). */
  heapSnapshots: readonly { file: string; bytes: number }[];
  /** package.json scripts and deploy-file lines that may carry Node flags. */
  commandLines: readonly CommandLine[];
  manifests: readonly PackageManifest[];
  /** A source file's text (for fixes and suppressions); null when it cannot be read. */
  textOf(file: string): string | null;
}
