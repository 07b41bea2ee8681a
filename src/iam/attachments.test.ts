import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attachedUnder } from './attachments.js';

const segment = fc.stringMatching(/^[a-z0-9-]{1,8}$/);
const policyArn = fc.tuple(fc.array(segment, { maxLength: 3 }), segment).map(([dirs, name]) => ({
  arn: `arn:aws:iam::123456789012:policy/${dirs.map((d) => `${d}/`).join('')}${name}`,
  path: `/${dirs.map((d) => `${d}/`).join('')}`,
  name,
}));

describe('attachedUnder', () => {
  it('names each ARN by its last segment and keeps, in order, those whose path starts with the prefix', () => {
    fc.assert(
      fc.property(fc.array(policyArn, { maxLength: 8 }), fc.option(fc.array(segment, { maxLength: 2 }), { nil: undefined }), (policies, dirs) => {
        const prefix = dirs === undefined ? undefined : `/${dirs.map((d) => `${d}/`).join('')}`;
        const kept = attachedUnder(policies.map((p) => p.arn), prefix);
        expect(kept).toEqual(policies.filter((p) => prefix === undefined || p.path.startsWith(prefix)));
      }),
    );
  });

  it('reads AWS’s own ARNs too', () => {
    expect(attachedUnder(['arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy'], '/service-role/')).toEqual([
      { arn: 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy', path: '/service-role/', name: 'AmazonECSTaskExecutionRolePolicy' },
    ]);
  });
});
