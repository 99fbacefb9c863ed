/**
 * SARIF 2.1.0, the format GitHub code scanning (and most CI dashboards) import: one run, the
 * rules with their doc pages as help, one result per finding with a fingerprint so that an
 * alert survives line moves, fixes as text replacements, and the scan's warnings as tool
 * notifications.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RuleMeta } from '../rules/types.js';
import type { Finding, FindingLocation, Report, ScanWarning, Severity } from '../types.js';

/** A rule as SARIF describes it: the scan's rules, or `native`'s own. */
export type SarifRule = Omit<RuleMeta, 'id'> & { id: string };

export interface SarifOptions {
  /** Every rule that ran (results of rules missing here carry only their ruleId). */
  rules: readonly SarifRule[];
  /** The package's docs folder; a rule's help is `rules/<id>.md` in it when that exists. */
  docsDir: string;
}

const SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/schemas/sarif-schema-2.1.0.json';
const INFORMATION_URI = 'https://www.npmjs.com/package/leakhound';
/** Relative artifact URIs are resolved against this base; its value is the scanned directory. */
const SRCROOT = '%SRCROOT%';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/** What a SARIF log is made of: the scan report, or any other leakhound result shaped like it. */
export type SarifInput = Pick<Report, 'root' | 'tool' | 'findings'> & { warnings: SarifNotification[] };

/** A warning shown as a tool notification: the scan's, or another command's with its own kinds. */
export type SarifNotification = Omit<ScanWarning, 'kind'> & { kind: string };

export function formatSarif(report: SarifInput, options: SarifOptions): string {
  const ruleIndex = new Map(options.rules.map((meta, index) => [meta.id as string, index]));
  const log = {
    $schema: SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'leakhound',
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: INFORMATION_URI,
            rules: options.rules.map((meta) => ruleDescriptor(meta, options.docsDir)),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(report.root) } },
        // Finding columns and fix offsets are JavaScript string positions.
        columnKind: 'utf16CodeUnits',
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: report.warnings.map(notification),
          },
        ],
        results: report.findings.map((finding) => result(finding, ruleIndex.get(finding.ruleId))),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function ruleDescriptor(meta: SarifRule, docsDir: string) {
  const page = join(docsDir, 'rules', `${meta.id}.md`);
  const help = existsSync(page) ? readFileSync(page, 'utf8') : meta.description;
  return {
    id: meta.id,
    name: pascalCase(meta.id),
    shortDescription: { text: meta.summary },
    fullDescription: { text: meta.description },
    help: { text: help, markdown: help },
    defaultConfiguration: { level: LEVEL[meta.defaultSeverity] },
    properties: { tags: ['reliability', 'database', ...(meta.fixable ? ['fixable'] : [])] },
  };
}

function result(finding: Finding, index: number | undefined) {
  return {
    ruleId: finding.ruleId,
    ...(index === undefined ? {} : { ruleIndex: index }),
    level: LEVEL[finding.severity],
    message: { text: finding.message },
    locations: [{ physicalLocation: physicalLocation(finding) }],
    partialFingerprints: { 'leakhound/v1': finding.fingerprint },
    ...(finding.related?.length
      ? { relatedLocations: finding.related.map((related, i) => ({ id: i + 1, physicalLocation: physicalLocation(related), message: { text: related.message } })) }
      : {}),
    ...(finding.fix?.length
      ? {
          fixes: [
            {
              artifactChanges: [
                {
                  artifactLocation: artifactLocation(finding.file),
                  replacements: finding.fix.map((edit) => ({
                    deletedRegion: { charOffset: edit.start, charLength: edit.end - edit.start },
                    insertedContent: { text: edit.text },
                  })),
                },
              ],
            },
          ],
        }
      : {}),
    ...(finding.data ? { properties: { data: finding.data } } : {}),
  };
}

function notification(warning: SarifNotification) {
  return {
    level: 'warning',
    message: { text: warning.message },
    ...(warning.file === null
      ? {}
      : { locations: [{ physicalLocation: physicalLocation({ file: warning.file, line: warning.line ?? 0, column: warning.column ?? 0 }) }] }),
    properties: { kind: warning.kind },
  };
}

function physicalLocation(where: Pick<FindingLocation, 'file' | 'line' | 'column'>) {
  // SARIF lines and columns start at 1; a finding about a whole file has no region.
  if (where.line < 1) return { artifactLocation: artifactLocation(where.file) };
  return {
    artifactLocation: artifactLocation(where.file),
    region: { startLine: where.line, ...(where.column >= 1 ? { startColumn: where.column } : {}) },
  };
}

function artifactLocation(file: string) {
  // A relative URI reference: each path segment percent-encoded (spaces, `#`, `%`, …).
  return { uri: file.split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

function directoryUri(root: string): string {
  const href = pathToFileURL(root).href;
  return href.endsWith('/') ? href : `${href}/`;
}

/** `per-call-client` → `PerCallClient`: SARIF's `name` is meant to be an identifier. */
function pascalCase(id: string): string {
  return id.replace(/(^|-)([a-z0-9])/g, (_, _dash: string, letter: string) => letter.toUpperCase());
}
