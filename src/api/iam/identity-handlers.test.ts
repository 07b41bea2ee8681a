import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createIamDomain } from '../../iam/iam-domain.js';
import { isDomainError } from '../../lib/errors.js';
import { rootPrincipal } from '../../lib/scope.js';
import { ValueCipher } from '../../secrets/crypto/value-cipher.js';
import { MemoryStore } from '../../store/memory-store.js';
import { iamErrorName } from './errors.js';
import { identityHandlers } from './identity-handlers.js';

const ACCOUNT = '000000000000';
const scope = { accountId: ACCOUNT, region: 'us-east-1', principalArn: rootPrincipal(ACCOUNT), now: new Date('2026-12-01T00:00:00Z') };
const ctx = { scope, requestId: 'r' };

describe('SimulatePrincipalPolicy', () => {
  it('refuses the context members the simulator does not act on with InvalidInput', async () => {
    const iam = createIamDomain(new MemoryStore(), new ValueCipher(randomBytes(32)));
    const user = await iam.users.create(scope, { name: 'alice' });
    const simulate = identityHandlers(iam).SimulatePrincipalPolicy!;
    const base = { PolicySourceArn: user.arn, ActionNames: ['s3:GetObject'] };
    const cases = {
      ResourcePolicy: ['{"Version":"2012-10-17","Statement":[]}', 'the simulator does not evaluate resource-based policies'],
      CallerArn: [user.arn, 'the simulator evaluates as the policy source itself'],
      ResourceOwner: [`arn:aws:iam::${ACCOUNT}:root`, 'the simulator evaluates resources of this account only'],
      ResourceHandlingOption: ['EC2-VPC-InstanceStore', 'the simulator has no EC2 resource scenarios'],
    };
    for (const [member, [value, why]] of Object.entries(cases)) {
      const err: unknown = await simulate({ ...base, [member]: value }, ctx).then(
        () => undefined,
        (e: unknown) => e,
      );
      if (!isDomainError(err)) throw new Error(`${member} was not refused`);
      expect({ name: iamErrorName(err, 'SimulatePrincipalPolicy'), message: err.message }).toEqual({
        name: 'InvalidInputException',
        message: `The parameter ${member} is not supported by this endpoint: ${why}.`,
      });
    }
    await expect(simulate(base, ctx)).resolves.toMatchObject({ EvaluationResults: [{ EvalActionName: 's3:GetObject', EvalDecision: 'implicitDeny' }] });
  });
});
