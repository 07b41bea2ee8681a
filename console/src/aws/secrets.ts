import { collectPages, SECRETS, SSM, type AwsClient } from './client.js';

export interface SecretEntry {
  ARN: string;
  Name: string;
  Description?: string;
  LastChangedDate?: number;
  LastAccessedDate?: number;
  DeletedDate?: number;
  SecretVersionsToStages?: Record<string, string[]>;
}

export interface ParameterEntry {
  Name: string;
  Type: string;
  Version: number;
  LastModifiedDate?: number;
  Description?: string;
  Tier?: string;
}

/** Names and versions only: ListSecrets never returns a value. */
export async function listSecrets(aws: AwsClient): Promise<SecretEntry[]> {
  return collectPages(
    (nextToken) => aws.json<{ SecretList?: SecretEntry[]; NextToken?: string }>(SECRETS, 'ListSecrets', { NextToken: nextToken, MaxResults: 100 }).then((p) => ({ ...p, ...(p.NextToken && { nextToken: p.NextToken }) })),
    (p) => p.SecretList,
  );
}

/** Names, types and versions only: DescribeParameters never returns a value. */
export async function listParameters(aws: AwsClient): Promise<ParameterEntry[]> {
  return collectPages(
    (nextToken) => aws.json<{ Parameters?: ParameterEntry[]; NextToken?: string }>(SSM, 'DescribeParameters', { NextToken: nextToken, MaxResults: 50 }).then((p) => ({ ...p, ...(p.NextToken && { nextToken: p.NextToken }) })),
    (p) => p.Parameters,
  );
}

/** The current value, fetched only when someone asks to see it (`aws secretsmanager get-secret-value`). */
export async function revealSecret(aws: AwsClient, secretId: string): Promise<string> {
  const out = await aws.json<{ SecretString?: string; SecretBinary?: string }>(SECRETS, 'GetSecretValue', { SecretId: secretId });
  return out.SecretString ?? (out.SecretBinary !== undefined ? `(binary, base64) ${out.SecretBinary}` : '');
}

/** The value, decrypted (`aws ssm get-parameter --with-decryption`). */
export async function revealParameter(aws: AwsClient, name: string): Promise<string> {
  const out = await aws.json<{ Parameter?: { Value?: string } }>(SSM, 'GetParameter', { Name: name, WithDecryption: true });
  return out.Parameter?.Value ?? '';
}
