import { STS, type AwsClient } from './client.js';

/** Who the credentials are (STS GetCallerIdentity, as `aws sts get-caller-identity`). */
export async function callerIdentity(aws: AwsClient): Promise<{ account: string; arn: string }> {
  const doc = await aws.query(STS, 'GetCallerIdentity');
  return {
    account: doc.querySelector('Account')?.textContent ?? '',
    arn: doc.querySelector('Arn')?.textContent ?? '',
  };
}
