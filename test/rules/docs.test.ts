/**
 * Rule docs are part of the rules: every rule has a page in docs/rules/, every page belongs to a
 * rule, each page has the same sections and states the rule's own summary, severity and
 * fixability, its bad example triggers the rule and its good example does not, and the README's
 * rule table is exactly what scripts/rules-table.js writes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scan } from '../../src/index.js';
import { DEFAULT_SETTINGS, type ScanSettings } from '../../src/config/settings.js';
import { RULE_METAS, RULES } from '../../src/rules/index.js';
import { RULES_TABLE_END, RULES_TABLE_START, renderRulesTable, replaceRulesTable } from '../../src/rules/table.js';
import type { RuleMeta } from '../../src/rules/types.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DOCS = join(ROOT, 'docs', 'rules');

/** The headings every page has, in this order. */
const SECTIONS = ['## Why it matters', '## What leakhound reports', '## Examples', '### Bad', '### Good', '## How to fix', '## Options'];

function pageOf(id: string): string {
  return readFileSync(join(DOCS, `${id}.md`), 'utf8');
}

/** The text under `heading` up to the next heading of the same or a higher level. */
function section(page: string, heading: string): string {
  const lines = page.split('\n');
  const start = lines.indexOf(heading);
  if (start === -1) return '';
  const level = heading.indexOf(' ');
  const body: string[] = [];
  let inCode = false;
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('```')) inCode = !inCode;
    const match = !inCode && /^(#+) /.exec(line);
    if (match && match[1]!.length <= level) break;
    body.push(line);
  }
  return body.join('\n');
}

interface ExampleFile {
  path: string;
  text: string;
}

/** The code blocks of an example; each names its file on its first line (`// src/db.ts`). */
function exampleFiles(body: string): ExampleFile[] {
  return [...body.matchAll(/^```\w*\n([\s\S]*?)^```$/gm)].map((block) => {
    const text = block[1]!;
    const path = /^\/\/ ([\w./@-]+)\n/.exec(text)?.[1];
    assert.ok(path, `an example block must start with a \`// path/of/file.ts\` comment:\n${text}`);
    return { path, text };
  });
}

/** `--replicas`, `--max-connections` and `--cpus` from a "Scanned with `leakhound scan …`" line. */
function exampleSettings(body: string): ScanSettings {
  const command = /`leakhound scan ([^`]*)`/.exec(body)?.[1] ?? '';
  const flag = (name: string, fallback: number) => Number(new RegExp(`--${name}[ =](\\d+)`).exec(command)?.[1] ?? fallback);
  return {
    ...DEFAULT_SETTINGS,
    replicas: flag('replicas', DEFAULT_SETTINGS.replicas),
    maxConnections: flag('max-connections', DEFAULT_SETTINGS.maxConnections),
    cpus: flag('cpus', DEFAULT_SETTINGS.cpus),
  };
}

async function findingsOfExample(ruleId: string, files: ExampleFile[], settings: ScanSettings) {
  const dir = mkdtempSync(join(tmpdir(), `leakhound-doc-${ruleId}-`));
  try {
    const all = [{ path: 'package.json', text: '{ "name": "example", "type": "module" }\n' }, ...files];
    for (const file of all) {
      mkdirSync(dirname(join(dir, file.path)), { recursive: true });
      writeFileSync(join(dir, file.path), file.text);
    }
    const report = await scan({ root: dir, useGit: false, settings });
    return report.findings.filter((finding) => finding.ruleId === ruleId);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('every rule has a doc page, and every doc page belongs to a rule', () => {
  const pages = readdirSync(DOCS).filter((name) => name.endsWith('.md')).map((name) => name.slice(0, -'.md'.length));
  const ids = RULES.map((rule) => rule.meta.id);
  assert.deepEqual(ids.filter((id) => !pages.includes(id)), [], 'rules without a page in docs/rules/');
  assert.deepEqual(pages.filter((page) => !(ids as string[]).includes(page)), [], 'pages in docs/rules/ that belong to no rule');
});

for (const meta of RULE_METAS) {
  test(`docs/rules/${meta.id}.md: title, the rule's summary, severity and sections`, () => {
    const lines = pageOf(meta.id).split('\n');
    assert.equal(lines[0], `# ${meta.id}`);
    const intro = lines.slice(1, lines.findIndex((line) => line.startsWith('## ')));
    assert.ok(intro.includes(`> ${meta.summary}`), `the page opens with the rule's summary: > ${meta.summary}`);
    assert.ok(
      intro.includes(`**Default severity:** ${meta.defaultSeverity} · **Fixable:** ${meta.fixable ? 'yes' : 'no'}`),
      `the page states the default severity (${meta.defaultSeverity}) and whether it is fixable`,
    );
    const headings = lines.filter((line) => SECTIONS.includes(line));
    assert.deepEqual(headings, SECTIONS, 'the sections, each once and in this order');
    for (const heading of SECTIONS.filter((h) => h.startsWith('## ') && h !== '## Examples')) {
      assert.ok(section(pageOf(meta.id), heading).trim().length > 0, `${heading} is empty`);
    }
  });

  test(`docs/rules/${meta.id}.md: options say how to turn it off and suppress one finding`, () => {
    const options = section(pageOf(meta.id), '## Options');
    assert.ok(options.includes(`"${meta.id}": "off"`), `shows { "rules": { "${meta.id}": "off" } }`);
    assert.ok(options.includes(`// leakhound-ignore-next-line ${meta.id} -- `), 'shows an inline suppression with a reason');
  });

  test(`docs/rules/${meta.id}.md: the bad example triggers the rule, the good one does not`, async () => {
    const page = pageOf(meta.id);
    for (const [heading, expectFindings] of [['### Bad', true], ['### Good', false]] as const) {
      const body = section(page, heading);
      const files = exampleFiles(body);
      assert.ok(files.length > 0, `${heading} has a code example`);
      const findings = await findingsOfExample(meta.id, files, exampleSettings(body));
      const shown = findings.map((finding) => `${finding.file}:${finding.line} ${finding.message}`).join('\n');
      if (expectFindings) assert.ok(findings.length > 0, `${heading}: expected a ${meta.id} finding`);
      else assert.equal(findings.length, 0, `${heading}: expected no ${meta.id} finding, got\n${shown}`);
    }
  });
}

test('README.md: the rule table is what scripts/rules-table.js writes', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  assert.equal(readme, replaceRulesTable(readme, RULE_METAS), 'regenerate it: npm run build && node scripts/rules-table.js');
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'rules-table.js'), '--check'], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
});

test('renderRulesTable: one row per rule, linking its page; pipes escaped', () => {
  const meta: RuleMeta = { id: 'shutdown', defaultSeverity: 'warning', summary: 'a | b', description: '', fixable: true };
  assert.equal(
    renderRulesTable([meta]),
    ['| rule | default severity | fixable | what it finds |', '| --- | --- | --- | --- |', '| [`shutdown`](docs/rules/shutdown.md) | warning | yes | a \\| b |'].join('\n'),
  );
});

test('replaceRulesTable: rewrites only between the markers, keeps CRLF, refuses to guess', () => {
  const readme = `# x\n\n${RULES_TABLE_START}\nold\n${RULES_TABLE_END}\n\nafter\n`;
  const once = replaceRulesTable(readme, RULE_METAS);
  assert.equal(once, `# x\n\n${RULES_TABLE_START}\n${renderRulesTable(RULE_METAS)}\n${RULES_TABLE_END}\n\nafter\n`);
  assert.equal(replaceRulesTable(once, RULE_METAS), once);
  const crlf = replaceRulesTable(readme.replace(/\n/g, '\r\n'), RULE_METAS);
  assert.equal(crlf, once.replace(/\n/g, '\r\n'));
  assert.throws(() => replaceRulesTable('# x\n', RULE_METAS), /needs both/);
  assert.throws(() => replaceRulesTable(`${RULES_TABLE_END}\n${RULES_TABLE_START}\n`, RULE_METAS), /before/);
  assert.throws(() => replaceRulesTable(`${RULES_TABLE_START}${RULES_TABLE_END}${RULES_TABLE_START}${RULES_TABLE_END}`, RULE_METAS), /more than once/);
});
