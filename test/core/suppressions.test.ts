import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applySuppressions, findDirectives } from '../../src/core/suppressions.js';
import { finding } from '../helpers/findings.js';

/** Suppresses findings of `ruleId` on each given line of `text`; returns the lines that stay. */
function keptLines(text: string, lines: number[], ruleId = 'per-call-client'): number[] {
  const findings = lines.map((line) => finding({ ruleId, line }));
  return applySuppressions(findings, () => text).kept.map((f) => f.line);
}

test('a line comment suppresses its rule on the next line only', () => {
  const text = [
    'export async function handler() {',
    '  // leakhound-ignore-next-line per-call-client -- a one-off script entry point',
    '  const prisma = new PrismaClient();',
    '  const other = new PrismaClient();',
    '}',
  ].join('\n');
  assert.deepEqual(keptLines(text, [3, 4]), [4]);
  assert.deepEqual(keptLines(text, [3], 'shutdown'), [3], 'another rule is not suppressed');
});

test('blank lines and other comments between the directive and the code are skipped', () => {
  const text = [
    '// leakhound-ignore-next-line per-call-client -- reason',
    '',
    '// a note about the client',
    '/* and a block',
    '   over two lines */',
    'const prisma = new PrismaClient();',
  ].join('\n');
  assert.deepEqual(keptLines(text, [6]), []);
});

test('block comments, JSX comments, several ids, stacked directives, no ids at all', () => {
  const block = '/* leakhound-ignore-next-line per-call-client -- reason */\nconst db = new PrismaClient();';
  assert.deepEqual(keptLines(block, [2]), []);
  const jsx = ['return (', '  <div>', '    {/* leakhound-ignore-next-line per-call-client -- demo page */}', '    <Users db={new PrismaClient()} />', '  </div>', ');'].join('\n');
  assert.deepEqual(keptLines(jsx, [4]), []);
  const several = '// leakhound-ignore-next-line shutdown, per-call-client -- reason\nconst db = new PrismaClient();';
  assert.deepEqual(keptLines(several, [2]), []);
  assert.deepEqual(keptLines(several, [2], 'shutdown'), []);
  assert.deepEqual(keptLines(several, [2], 'pool-config'), [2]);
  const stacked = '// leakhound-ignore-next-line shutdown -- a\n// leakhound-ignore-next-line pool-config -- b\nconst db = new Pool();';
  assert.deepEqual(keptLines(stacked, [3], 'shutdown'), []);
  assert.deepEqual(keptLines(stacked, [3], 'pool-config'), []);
  assert.deepEqual(keptLines(stacked, [3], 'per-call-client'), [3]);
  const every = '// leakhound-ignore-next-line -- generated fixture\nconst db = new PrismaClient();';
  assert.deepEqual(keptLines(every, [2], 'shutdown'), []);
  assert.deepEqual(keptLines(every, [2], 'per-call-client'), []);
});

test('a directive after code on the same line targets the following line', () => {
  const text = 'setup(); // leakhound-ignore-next-line per-call-client -- reason\nconst db = new PrismaClient();';
  assert.deepEqual(keptLines(text, [1, 2]), [1]);
});

test('look-alikes do not suppress: strings, other words, a directive at the end of the file', () => {
  const inString = 'const s = "// leakhound-ignore-next-line per-call-client -- x";\nconst db = new PrismaClient();';
  assert.deepEqual(keptLines(inString, [2]), [2]);
  const longerWord = '// leakhound-ignore-next-lines per-call-client -- x\nconst db = new PrismaClient();';
  assert.deepEqual(keptLines(longerWord, [2]), [2]);
  const notFirst = '// see leakhound-ignore-next-line per-call-client -- x\nconst db = new PrismaClient();';
  assert.deepEqual(keptLines(notFirst, [2]), [2]);
  assert.equal(findDirectives('const a = 1;\n// leakhound-ignore-next-line -- x\n')[0]?.target, null);
});

test('a "/*" inside a string does not hide the lines after it', () => {
  const text = "const glob = 'src/**/*.ts'; const open = '/*';\n// leakhound-ignore-next-line per-call-client -- reason\nconst db = new PrismaClient();";
  assert.deepEqual(keptLines(text, [3]), []);
  const template = 'const sql = `\n  // not a comment\n`;\n// leakhound-ignore-next-line per-call-client -- reason\nconst db = new PrismaClient();';
  assert.deepEqual(keptLines(template, [5]), []);
  assert.equal(findDirectives('const sql = `\n// leakhound-ignore-next-line -- x\n`;').length, 0, 'inside a template literal');
});

test('CRLF line endings', () => {
  assert.deepEqual(keptLines('// leakhound-ignore-next-line per-call-client -- r\r\nconst db = new PrismaClient();\r\n', [2]), []);
});

test('warnings: an unknown rule id (with a suggestion) and a missing reason', () => {
  const text = ['// leakhound-ignore-next-line per-call-clients', 'const db = new PrismaClient();'].join('\n');
  const { kept, warnings } = applySuppressions([finding({ line: 2 })], () => text);
  assert.equal(kept.length, 1, 'a misspelt id suppresses nothing');
  assert.deepEqual(warnings, [
    {
      kind: 'config',
      file: 'src/routes/users.ts',
      line: 1,
      column: 1,
      message: 'leakhound-ignore-next-line: "per-call-clients" is not a rule; did you mean "per-call-client"?',
    },
    {
      kind: 'config',
      file: 'src/routes/users.ts',
      line: 1,
      column: 1,
      message: 'leakhound-ignore-next-line without a reason: add "-- <why this is fine>" so the next reader knows',
    },
  ]);
});

test('reasons and ids are parsed apart, in any spacing', () => {
  const [directive] = findDirectives('  /** leakhound-ignore-next-line  shutdown,pool-config --keeps the pool open on purpose */\nx();');
  assert.deepEqual(directive, { line: 1, column: 3, ruleIds: ['shutdown', 'pool-config'], reason: 'keeps the pool open on purpose', target: 2 });
});

test('only files with findings are read, each once; an unreadable file keeps its findings', () => {
  const read: string[] = [];
  const findings = [finding({ file: 'a.ts', line: 2 }), finding({ file: 'a.ts', line: 3 }), finding({ file: 'b.ts', line: 2 })];
  const { kept, suppressed } = applySuppressions(findings, (file) => {
    read.push(file);
    return file === 'a.ts' ? '// leakhound-ignore-next-line -- reason\nx();\ny();' : null;
  });
  assert.deepEqual(read, ['a.ts', 'b.ts']);
  assert.deepEqual(suppressed.map((f) => [f.file, f.line]), [['a.ts', 2]]);
  assert.deepEqual(kept.map((f) => [f.file, f.line]), [['a.ts', 3], ['b.ts', 2]]);
});
