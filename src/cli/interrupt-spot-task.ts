import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Command } from 'commander';
import { DEFAULT_CREDENTIALS } from './config.js';

/** Flag values as commander hands them over. */
interface InterruptFlags {
  endpoint: string;
  cluster?: string;
  task: string;
  region?: string;
}

/** What the admin API answered. */
export interface AdminAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** The credentials to sign with: the AWS environment variables, else minato's local defaults. */
export function credentialsFrom(env: NodeJS.ProcessEnv): { accessKeyId: string; secretAccessKey: string; sessionToken?: string } {
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    return {
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
      ...(env.AWS_SESSION_TOKEN && { sessionToken: env.AWS_SESSION_TOKEN }),
    };
  }
  return { ...DEFAULT_CREDENTIALS };
}

/** Calls one operation of minato's admin API (JSON 1.1, SigV4 with signing name `minato`). */
export async function callAdmin(
  endpoint: string,
  region: string,
  operation: string,
  input: object,
  env: NodeJS.ProcessEnv = process.env,
): Promise<AdminAnswer> {
  const url = new URL(endpoint);
  const body = JSON.stringify(input);
  const signer = new SignatureV4({ credentials: credentialsFrom(env), region, service: 'minato', sha256: Sha256 });
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port && { port: Number(url.port) }),
    path: '/',
    query: {},
    headers: { host: url.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `MinatoAdmin.${operation}` },
    body,
  });
  // fetch sets Host itself and refuses to be given one; the signature covered the same value.
  const headers = Object.fromEntries(Object.entries(signed.headers).filter(([k]) => k.toLowerCase() !== 'host'));
  const res = await fetch(new URL('/', url), { method: 'POST', headers, body });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    parsed = { message: text };
  }
  return { status: res.status, body: parsed };
}

/** `minato interrupt-spot-task`: reclaims a Fargate Spot task as AWS would, through the admin API. */
export function registerInterruptSpotTask(program: Command): void {
  program
    .command('interrupt-spot-task')
    .description('interrupt a FARGATE_SPOT task: SIGTERM, then stopCode SpotInterruption')
    .requiredOption('--endpoint <url>', 'the platform endpoint, e.g. http://127.0.0.1:4566')
    .option('--cluster <cluster>', 'the cluster name or ARN (default: default)')
    .requiredOption('--task <task>', 'the task ARN or id')
    .option('--region <region>', 'the region (env AWS_REGION, AWS_DEFAULT_REGION; default us-east-1)')
    .action(async (flags: InterruptFlags) => {
      const region = flags.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
      const answer = await callAdmin(flags.endpoint, region, 'InterruptSpotTask', {
        ...(flags.cluster !== undefined && { cluster: flags.cluster }),
        task: flags.task,
      });
      if (answer.status >= 300) {
        const type = String(answer.body.__type ?? 'Error').split('#').pop();
        throw new Error(`${type}: ${String(answer.body.message ?? answer.body.Message ?? '')}`);
      }
      process.stdout.write(`${JSON.stringify(answer.body, null, 2)}\n`);
    });
}
