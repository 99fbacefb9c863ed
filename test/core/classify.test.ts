import { test } from 'node:test';
import assert from 'node:assert/strict';
import { categorize, createTestMatcher } from '../../src/core/classify.js';
import { nextRoutePath } from '../../src/core/next-routes.js';

test('test files by the usual conventions', () => {
  const isTest = createTestMatcher();
  for (const file of ['src/a.test.ts', 'src/a.spec.tsx', 'src/__tests__/a.ts', 'test/helpers/db.ts', 'apps/api/e2e/x.ts', 'src/tests/services/a.ts', 'jest.setup.js', 'apps/x/src/app.e2e-spec.ts']) {
    assert.equal(isTest(file), true, file);
  }
  for (const file of ['src/a.ts', 'src/testimonials/a.ts', 'src/latest.ts', 'src/contest/x.ts']) {
    assert.equal(isTest(file), false, file);
  }
  const custom = createTestMatcher(['qa/']);
  assert.equal(custom('qa/x.ts'), true);
  assert.equal(custom('src/a.test.ts'), false);
});

test('categories from context first, then file name, then nearest directory', () => {
  assert.equal(categorize('src/services/a.ts', false, 'route-handler'), 'route');
  assert.equal(categorize('src/routes/a.ts', false, 'queue-processor'), 'job');
  assert.equal(categorize('src/api/routes/tasks.ts', false, 'module'), 'route');
  assert.equal(categorize('src/tasks.controller.ts', false, 'module'), 'route');
  assert.equal(categorize('src/modules/users/users.service.ts', false, 'module'), 'service');
  assert.equal(categorize('src/jobs/bounce-cleanup.jobs.ts', false, 'module'), 'job');
  assert.equal(categorize('src/api/services/x.ts', false, 'module'), 'service');
  assert.equal(categorize('prisma/seed.ts', false, 'module'), 'script');
  assert.equal(categorize('scripts/backfill.ts', false, 'module'), 'script');
  assert.equal(categorize('app/api/tasks/route.ts', false, 'module'), 'route');
  assert.equal(categorize('src/index.ts', false, 'module'), 'other');
  assert.equal(categorize('src/services/a.ts', true, 'route-handler'), 'test');
});

test('Next.js route paths', () => {
  assert.equal(nextRoutePath('app/api/tasks/[id]/route.ts'), '/api/tasks/[id]');
  assert.equal(nextRoutePath('src/app/(admin)/api/x/route.js'), '/api/x');
  assert.equal(nextRoutePath('pages/api/users/index.ts'), '/api/users');
  assert.equal(nextRoutePath('app/route.ts'), '/');
});
