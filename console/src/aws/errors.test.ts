import { describe, expect, it } from 'vitest';
import { AwsCallError, jsonErrorCode, jsonErrorMessage } from './errors.js';
import { chunks, collectPages } from './client.js';

describe('AWS errors as the console reads them', () => {
  it('takes the code from __type (with or without its namespace), else the header', () => {
    expect(jsonErrorCode({ __type: 'com.amazonaws.ecs#ServiceNotFoundException', message: 'x' }, null)).toBe('ServiceNotFoundException');
    expect(jsonErrorCode({ __type: 'ClusterNotFoundException' }, null)).toBe('ClusterNotFoundException');
    expect(jsonErrorCode({}, 'InvalidSignatureException:http://internal.amazon.com/coral/')).toBe('InvalidSignatureException');
    expect(jsonErrorCode('not json', null)).toBe('UnknownError');
    expect(jsonErrorMessage({ Message: 'Secrets Manager spells it so' })).toBe('Secrets Manager spells it so');
  });

  it('tells refused credentials from other failures', () => {
    expect(new AwsCallError('SignatureDoesNotMatch', '', 403).isAuthFailure).toBe(true);
    expect(new AwsCallError('InvalidSignatureException', '', 400).isAuthFailure).toBe(true);
    expect(new AwsCallError('AccessDeniedException', '', 400).isAuthFailure).toBe(false);
  });
});

describe('paging helpers', () => {
  it('follow nextToken to the end, or to the limit', async () => {
    const pages = [{ items: [1, 2], nextToken: 'a' }, { items: [3], nextToken: 'b' }, { items: [4] }];
    const seen: (string | undefined)[] = [];
    const all = await collectPages(
      async (token) => {
        seen.push(token);
        return pages[seen.length - 1]!;
      },
      (p) => p.items,
    );
    expect(all).toEqual([1, 2, 3, 4]);
    expect(seen).toEqual([undefined, 'a', 'b']);
    seen.length = 0;
    expect(await collectPages(async (t) => (seen.push(t), pages[seen.length - 1]!), (p) => p.items, 2)).toEqual([1, 2]);
  });

  it('split lists into Describe-sized chunks', () => {
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunks([], 100)).toEqual([]);
  });
});
