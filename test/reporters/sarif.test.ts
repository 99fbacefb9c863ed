import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatSarif } from '../../src/reporters/sarif.js';
import type { RuleMeta } from '../../src/rules/types.js';
import { finding, report } from '../helpers/findings.js';
import { validateSarif } from '../helpers/sarif-schema.js';

const RULES: RuleMeta[] = [
  {
    id: 'per-call-client',
    defaultSeverity: 'error',
    summary: 'A database client is constructed on every call',
    description: 'Each construction opens its own connection pool; per request, that exhausts the database and the heap.',
    fixable: true,
  },
  {
    id: 'pool-config',
    defaultSeverity: 'info',
    summary: 'Pool settings keep idle connections open',
    description: 'Long idle timeouts hold connections nobody uses.',
    fixable: false,
  },
];

function withDocs(body: (docsDir: string) => void): void {
  const docsDir = mkdtempSync(join(tmpdir(), 'leakhound-docs-'));
  try {
    mkdirSync(join(docsDir, 'rules'));
    writeFileSync(join(docsDir, 'rules', 'per-call-client.md'), '# per-call-client\n\nCreate **one** client per process.\n');
    body(docsDir);
  } finally {
    rmSync(docsDir, { recursive: true, force: true });
  }
}

interface SarifLog {
  $schema: string;
  version: string;
  runs: {
    tool: { driver: { name: string; version: string; informationUri: string; rules: Record<string, any>[] } };
    originalUriBaseIds: Record<string, { uri: string }>;
    invocations: { executionSuccessful: boolean; toolExecutionNotifications: Record<string, any>[] }[];
    results: Record<string, any>[];
  }[];
}

test('an empty report is a valid SARIF 2.1.0 log with the tool and its rules', () => {
  withDocs((docsDir) => {
    const log = validateSarif(formatSarif(report([]), { rules: RULES, docsDir })) as SarifLog;
    assert.equal(log.version, '2.1.0');
    assert.match(log.$schema, /sarif-schema-2\.1\.0\.json$/);
    const run = log.runs[0]!;
    assert.equal(run.tool.driver.name, 'leakhound');
    assert.equal(run.tool.driver.version, '1.2.3');
    assert.match(run.tool.driver.informationUri, /^https:\/\//);
    assert.deepEqual(run.results, []);
    assert.deepEqual(run.invocations, [{ executionSuccessful: true, toolExecutionNotifications: [] }]);
    assert.deepEqual(run.originalUriBaseIds, { '%SRCROOT%': { uri: 'file:///work/app/' } });
  });
});

test('rules: descriptions, help from the doc page when it exists, level and tags', () => {
  withDocs((docsDir) => {
    const [perCall, pool] = (validateSarif(formatSarif(report([]), { rules: RULES, docsDir })) as SarifLog).runs[0]!.tool.driver.rules;
    assert.deepEqual(perCall, {
      id: 'per-call-client',
      name: 'PerCallClient',
      shortDescription: { text: RULES[0]!.summary },
      fullDescription: { text: RULES[0]!.description },
      help: { text: '# per-call-client\n\nCreate **one** client per process.\n', markdown: '# per-call-client\n\nCreate **one** client per process.\n' },
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['reliability', 'database', 'fixable'] },
    });
    assert.deepEqual(pool!.help, { text: RULES[1]!.description, markdown: RULES[1]!.description }, 'no doc page: the description');
    assert.deepEqual(pool!.defaultConfiguration, { level: 'note' });
    assert.deepEqual(pool!.properties, { tags: ['reliability', 'database'] });
  });
});

test('a report with findings, related locations, fixes and warnings', () => {
  withDocs((docsDir) => {
    const full = report(
      [
        finding({
          file: 'src/routes/user list.ts',
          line: 12,
          column: 19,
          related: [{ file: 'src/db.ts', line: 3, column: 14, message: 'the shared client to use instead' }],
          fix: [
            { start: 120, end: 138, text: 'prisma' },
            { start: 0, end: 0, text: "import { prisma } from '../db.js';\n" },
          ],
          data: { connections: 10 },
        }),
        finding({ ruleId: 'pool-config', severity: 'info', file: 'src/db.ts', line: 3, column: 1, fingerprint: 'pool' }),
        finding({ ruleId: 'connection-budget', severity: 'warning', file: 'package.json', line: 0, column: 0, fingerprint: 'budget' }),
      ],
      {
        root: '/work/my app',
        warnings: [
          { kind: 'parse', file: 'src/broken.ts', line: 4, column: 2, message: 'could not parse: Unexpected token' },
          { kind: 'config', file: null, message: 'tsconfig.json: paths could not be read' },
        ],
      },
    );
    const run = (validateSarif(formatSarif(full, { rules: RULES, docsDir })) as SarifLog).runs[0]!;
    assert.equal(run.originalUriBaseIds['%SRCROOT%']!.uri, `${pathToFileURL('/work/my app').href}/`);
    const [perCall, pool, budget] = run.results;

    assert.equal(perCall!.ruleId, 'per-call-client');
    assert.equal(perCall!.ruleIndex, 0);
    assert.equal(perCall!.level, 'error');
    assert.deepEqual(perCall!.message, { text: 'A PrismaClient is constructed on every request: GET /users' });
    assert.deepEqual(perCall!.locations, [
      { physicalLocation: { artifactLocation: { uri: 'src/routes/user%20list.ts', uriBaseId: '%SRCROOT%' }, region: { startLine: 12, startColumn: 19 } } },
    ]);
    assert.deepEqual(perCall!.partialFingerprints, { 'leakhound/v1': 'per-call-client:src/routes/users.ts:GET /users:0' });
    assert.deepEqual(perCall!.relatedLocations, [
      {
        id: 1,
        physicalLocation: { artifactLocation: { uri: 'src/db.ts', uriBaseId: '%SRCROOT%' }, region: { startLine: 3, startColumn: 14 } },
        message: { text: 'the shared client to use instead' },
      },
    ]);
    assert.deepEqual(perCall!.fixes, [
      {
        artifactChanges: [
          {
            artifactLocation: { uri: 'src/routes/user%20list.ts', uriBaseId: '%SRCROOT%' },
            replacements: [
              { deletedRegion: { charOffset: 120, charLength: 18 }, insertedContent: { text: 'prisma' } },
              { deletedRegion: { charOffset: 0, charLength: 0 }, insertedContent: { text: "import { prisma } from '../db.js';\n" } },
            ],
          },
        ],
      },
    ]);
    assert.deepEqual(perCall!.properties, { data: { connections: 10 } });

    assert.equal(pool!.ruleIndex, 1);
    assert.equal(pool!.level, 'note');
    assert.equal(pool!.fixes, undefined);
    assert.equal(pool!.relatedLocations, undefined);

    assert.equal(budget!.ruleIndex, undefined, 'a rule without metadata: ruleId only');
    assert.equal(budget!.level, 'warning');
    assert.deepEqual(budget!.locations, [{ physicalLocation: { artifactLocation: { uri: 'package.json', uriBaseId: '%SRCROOT%' } } }], 'no region for a whole-file finding');

    assert.deepEqual(run.invocations[0]!.toolExecutionNotifications, [
      {
        level: 'warning',
        message: { text: 'could not parse: Unexpected token' },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'src/broken.ts', uriBaseId: '%SRCROOT%' }, region: { startLine: 4, startColumn: 2 } } }],
        properties: { kind: 'parse' },
      },
      { level: 'warning', message: { text: 'tsconfig.json: paths could not be read' }, properties: { kind: 'config' } },
    ]);
  });
});

test('a finding with a line but no column has a region with only startLine', () => {
  withDocs((docsDir) => {
    const run = (validateSarif(formatSarif(report([finding({ line: 7, column: 0 })]), { rules: RULES, docsDir })) as SarifLog).runs[0]!;
    assert.deepEqual(run.results[0]!.locations[0].physicalLocation.region, { startLine: 7 });
  });
});

test('the vendored schema does reject what GitHub would reject', () => {
  withDocs((docsDir) => {
    const log = JSON.parse(formatSarif(report([finding()]), { rules: RULES, docsDir })) as SarifLog;
    log.runs[0]!.results[0]!.locations[0].physicalLocation.region.startLine = 0;
    assert.throws(() => validateSarif(JSON.stringify(log)), /startLine/);
    const noVersion = JSON.parse(formatSarif(report([]), { rules: RULES, docsDir })) as Partial<SarifLog>;
    delete noVersion.version;
    assert.throws(() => validateSarif(JSON.stringify(noVersion)), /version/);
  });
});
