import { describe, expect, it } from 'vitest';
import { isRepositoryName, isTag } from './names.js';

describe('repository names and tags', () => {
  it('follows the OCI grammar and ECR\'s length limits for names', () => {
    for (const ok of ['ab', 'team/app', 'a.b_c__d-e--f/g', 'x'.repeat(256)]) expect(isRepositoryName(ok), ok).toBe(true);
    for (const bad of ['a', 'App', 'a//b', '/a', 'a/', 'a..b', 'a_-b', '-a', 'x'.repeat(257), 'a b']) expect(isRepositoryName(bad), bad).toBe(false);
  });

  it('follows the OCI grammar for tags', () => {
    for (const ok of ['latest', 'v1.2.3', '_x', 'A-b_c.d', 'x'.repeat(128)]) expect(isTag(ok), ok).toBe(true);
    for (const bad of ['', '.x', '-x', 'a/b', 'a:b', 'x'.repeat(129)]) expect(isTag(bad), bad).toBe(false);
  });
});
