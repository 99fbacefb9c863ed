import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transformSync } from 'esbuild';
import { loadConfig } from '../../src/config/load.js';
import { nodeTypeScriptSupport, type TypeScriptSupport } from '../../src/config/import-config.js';
import { UsageError } from '../../src/errors.js';

function project(files: Record<string, string>): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'leakhound-config-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

async function withProject<T>(files: Record<string, string>, body: (dir: string) => Promise<T>): Promise<T> {
  const { dir, cleanup } = project(files);
  try {
    return await body(dir);
  } finally {
    cleanup();
  }
}

async function usageError(promise: Promise<unknown>): Promise<UsageError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof UsageError, `expected a UsageError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a UsageError');
}

const esbuildStripper: TypeScriptSupport = {
  importsTypeScript: false,
  stripTypes: (code) => transformSync(code, { loader: 'ts', format: 'esm' }).code,
};

test('no config file and no package.json key: null', async () => {
  await withProject({ 'package.json': '{"name":"app"}' }, async (dir) => {
    assert.equal(await loadConfig(dir), null);
  });
  await withProject({}, async (dir) => {
    assert.equal(await loadConfig(dir), null);
  });
});

test('the first file of the lookup order wins, then the package.json key', async () => {
  await withProject(
    {
      'leakhound.config.json': '{ "replicas": 3 }',
      'leakhound.config.mjs': 'export default { replicas: 4 };',
      'package.json': '{ "leakhound": { "replicas": 5 } }',
    },
    async (dir) => {
      const loaded = await loadConfig(dir);
      assert.deepEqual(loaded, { config: { replicas: 3 }, path: join(dir, 'leakhound.config.json') });
      rmSync(join(dir, 'leakhound.config.json'));
      assert.equal((await loadConfig(dir))?.config.replicas, 4);
      rmSync(join(dir, 'leakhound.config.mjs'));
      assert.deepEqual(await loadConfig(dir), { config: { replicas: 5 }, path: join(dir, 'package.json') });
    },
  );
});

test('a broken package.json is not a config error (the scan warns about it)', async () => {
  await withProject({ 'package.json': '{ "name": "app", }' }, async (dir) => {
    assert.equal(await loadConfig(dir), null);
  });
});

test('an invalid "leakhound" key in package.json names the file and the key', async () => {
  await withProject({ 'package.json': '{ "leakhound": { "cpus": -2 } }' }, async (dir) => {
    const error = await usageError(loadConfig(dir));
    assert.match(error.message, /package\.json \("leakhound" key\): cpus: expected a positive integer, got -2$/);
  });
});

test('--config: a missing file, a package.json without the key, and a file outside the project', async () => {
  await withProject({ 'package.json': '{}', 'ci/leakhound.json': '{ "failOn": "warning" }' }, async (dir) => {
    assert.match((await usageError(loadConfig(dir, join(dir, 'nope.json')))).message, /config file not found: .*nope\.json/);
    assert.match((await usageError(loadConfig(dir, join(dir, 'package.json')))).message, /package\.json has no "leakhound" key/);
    assert.deepEqual(await loadConfig(dir, join(dir, 'ci/leakhound.json')), { config: { failOn: 'warning' }, path: join(dir, 'ci/leakhound.json') });
  });
});

test('broken JSON: file, line and column', async () => {
  await withProject({ 'leakhound.config.json': '{\n  "replicas": 2,\n  "cpus": 4,\n}\n' }, async (dir) => {
    const error = await usageError(loadConfig(dir));
    assert.match(error.message, /leakhound\.config\.json:3:12: invalid JSON: trailing comma before "}"$/);
  });
  await withProject({ 'leakhound.config.json': '{\n  // comment\n  "replicas": 2\n}' }, async (dir) => {
    assert.match((await usageError(loadConfig(dir))).message, /leakhound\.config\.json:2:3: invalid JSON: comments are not allowed in JSON/);
  });
});

test('schema errors name the key path, what was expected and what was found', async () => {
  const cases: [unknown, RegExp][] = [
    [{ rules: { 'per-call-clients': 'error' } }, /leakhound\.config\.json: rules\."per-call-clients" is not a rule; did you mean "per-call-client"\?$/],
    [{ replicas: 0 }, /leakhound\.config\.json: replicas: expected a positive integer, got 0$/],
    [{ replicas: '3' }, /replicas: expected a positive integer, got "3"$/],
    [{ maxConnections: 2.5 }, /maxConnections: expected a positive integer, got 2\.5$/],
    [{ replica: 2 }, /unknown key "replica"; did you mean "replicas"\? \(the keys are rules, ignore, testPatterns, replicas, maxConnections, cpus, failOn\)$/],
    [{ failOn: 'errors' }, /failOn: expected "error", "warning" or "never", got "errors"; did you mean "error"\?$/],
    [{ rules: { shutdown: 'warn' } }, /rules\.shutdown: expected "off", "info", "warning" or "error", got "warn"; did you mean "warning"\?$/],
    [{ rules: { shutdown: { severity: 'eror' } } }, /rules\.shutdown\.severity: expected "off", "info", "warning" or "error", got "eror"; did you mean "error"\?$/],
    [{ rules: { 'pool-config': { idleTimeout: 5 } } }, /rules\."pool-config": unknown option "idleTimeout"; did you mean "idleTimeoutMs"\? \(pool-config takes severity, idleTimeoutMs\)$/],
    [{ rules: { shutdown: { maxWaitMs: 5 } } }, /rules\.shutdown: unknown option "maxWaitMs" \(shutdown takes severity\)$/],
    [{ rules: { 'transaction-timeout': { timeoutMs: 0 } } }, /rules\."transaction-timeout"\.timeoutMs: expected a positive integer, got 0$/],
    [{ rules: { 'transaction-timeout': true } }, /rules\."transaction-timeout": expected "off", "info", "warning", "error" or \{ severity, maxWaitMs, timeoutMs \}, got true$/],
    [{ ignore: ['legacy/', 3] }, /ignore\[1\]: expected a string, got 3$/],
    [{ testPatterns: '*.spec.ts' }, /testPatterns: expected an array of strings, got "\*\.spec\.ts"$/],
    [[], /leakhound\.config\.json: expected an object, got an array$/],
  ];
  for (const [config, expected] of cases) {
    await withProject({ 'leakhound.config.json': JSON.stringify(config) }, async (dir) => {
      const error = await usageError(loadConfig(dir));
      assert.match(error.message, expected, JSON.stringify(config));
      assert.match(error.hint ?? '', /leakhound scan --help/);
    });
  }
});

test('every problem is listed, one per line', async () => {
  await withProject({ 'leakhound.config.json': '{ "replicas": 0, "cpus": 0, "failOn": "sometimes" }' }, async (dir) => {
    const lines = (await usageError(loadConfig(dir))).message.split('\n');
    assert.equal(lines.length, 3);
    assert.ok(lines.every((line) => line.includes('leakhound.config.json: ')));
  });
});

test('a valid config comes back as written, "$schema" included', async () => {
  const config = {
    $schema: './node_modules/leakhound/docs/leakhound.config.schema.json',
    rules: { shutdown: 'off', 'transaction-timeout': { severity: 'warning', maxWaitMs: 5000 }, 'pool-config': { idleTimeoutMs: 30000 } },
    ignore: ['legacy/'],
    testPatterns: ['*.spec.ts'],
    replicas: 4,
    maxConnections: 200,
    cpus: 8,
    failOn: 'warning',
  };
  await withProject({ 'leakhound.config.json': JSON.stringify(config) }, async (dir) => {
    assert.deepEqual((await loadConfig(dir))?.config, config);
  });
});

test('JavaScript configs: ESM, CommonJS, a function, an async function', async () => {
  await withProject({ 'leakhound.config.mjs': 'export default { replicas: 2 };' }, async (dir) => {
    assert.equal((await loadConfig(dir))?.config.replicas, 2);
  });
  await withProject({ 'leakhound.config.cjs': 'module.exports = { cpus: 6 };' }, async (dir) => {
    assert.equal((await loadConfig(dir))?.config.cpus, 6);
  });
  await withProject({ 'leakhound.config.js': 'export default () => ({ maxConnections: 50 });', 'package.json': '{ "type": "module" }' }, async (dir) => {
    assert.equal((await loadConfig(dir))?.config.maxConnections, 50);
  });
  await withProject({ 'leakhound.config.mjs': "import { replicas } from './shared.mjs';\nexport default async () => ({ replicas });", 'shared.mjs': 'export const replicas = 7;' }, async (dir) => {
    assert.equal((await loadConfig(dir))?.config.replicas, 7);
  });
});

test('JavaScript configs that cannot be used are usage errors', async () => {
  await withProject({ 'leakhound.config.mjs': 'export const replicas = 2;' }, async (dir) => {
    const error = await usageError(loadConfig(dir));
    assert.match(error.message, /leakhound\.config\.mjs: no default export/);
    assert.match(error.hint ?? '', /export default/);
  });
  await withProject({ 'leakhound.config.mjs': "export default () => { throw new Error('no env'); };" }, async (dir) => {
    assert.match((await usageError(loadConfig(dir))).message, /leakhound\.config\.mjs: the exported function threw: no env/);
  });
  await withProject({ 'leakhound.config.mjs': 'export default {' }, async (dir) => {
    assert.match((await usageError(loadConfig(dir))).message, /leakhound\.config\.mjs: could not load it: /);
  });
  await withProject({ 'leakhound.config.mjs': 'export default { replicas: -1 };' }, async (dir) => {
    assert.match((await usageError(loadConfig(dir))).message, /leakhound\.config\.mjs: replicas: expected a positive integer, got -1/);
  });
});

test('TypeScript configs are stripped into a temporary module next to them, which is always removed', async () => {
  const files = {
    'leakhound.config.ts': "import type { Thing } from './types.js';\nimport { base } from './shared.mjs';\nconst replicas: number = base + 1;\nexport default { replicas } satisfies Thing;\n",
    'shared.mjs': 'export const base = 2;',
  };
  await withProject(files, async (dir) => {
    const before = readdirSync(dir).sort();
    assert.deepEqual(await loadConfig(dir, undefined, { typeScript: esbuildStripper }), { config: { replicas: 3 }, path: join(dir, 'leakhound.config.ts') });
    assert.deepEqual(readdirSync(dir).sort(), before, 'no temporary file is left behind');
  });
  await withProject({ 'leakhound.config.mts': "export default { failOn: 'never' as const };" }, async (dir) => {
    assert.equal((await loadConfig(dir, undefined, { typeScript: esbuildStripper }))?.config.failOn, 'never');
  });
  await withProject({ 'leakhound.config.ts': 'export default {' }, async (dir) => {
    const before = readdirSync(dir).sort();
    const error = await usageError(loadConfig(dir, undefined, { typeScript: { importsTypeScript: false, stripTypes: (code) => code } }));
    assert.match(error.message, /leakhound\.config\.ts: could not load it/);
    assert.deepEqual(readdirSync(dir).sort(), before, 'removed after a failed import too');
  });
});

test('TypeScript configs on a Node that cannot strip types: a usage error that says what to do', async () => {
  await withProject({ 'leakhound.config.ts': 'export default { replicas: 2 as number };' }, async (dir) => {
    const error = await usageError(loadConfig(dir, undefined, { typeScript: { importsTypeScript: false, stripTypes: null } }));
    assert.match(error.message, /leakhound\.config\.ts: this Node \(v\d+.*\) cannot load a TypeScript config/);
    assert.match(error.hint ?? '', /leakhound\.config\.json or leakhound\.config\.js, or run leakhound on Node >= 22\.13/);
    const failing = await usageError(
      loadConfig(dir, undefined, {
        typeScript: {
          importsTypeScript: false,
          stripTypes: () => {
            throw new Error('TypeScript enum is not supported in strip-only mode');
          },
        },
      }),
    );
    assert.match(failing.message, /could not strip its TypeScript types: TypeScript enum is not supported/);
  });
});

test('TypeScript configs on this Node, as users get them', async () => {
  const support = nodeTypeScriptSupport();
  await withProject({ 'leakhound.config.ts': 'const cpus: number = 12;\nexport default { cpus };\n' }, async (dir) => {
    if (support.importsTypeScript || support.stripTypes) {
      assert.equal((await loadConfig(dir))?.config.cpus, 12);
      assert.deepEqual(readdirSync(dir), ['leakhound.config.ts']);
    } else {
      assert.match((await usageError(loadConfig(dir))).hint ?? '', /Node >= 22\.13/);
    }
  });
});
