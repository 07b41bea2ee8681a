/**
 * The program inside the Node.js SDK test image (node-sdk-image.ts bundles it with the AWS SDK for
 * JavaScript v3 into one file). It runs in a task and configures nothing: no credentials, endpoint
 * or region. The SDK's default chain must find them where a task finds them on ECS
 * (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` at 169.254.170.2, `AWS_REGION`) and the endpoint where
 * the platform names it (`AWS_ENDPOINT_URL`).
 *
 * `node program.cjs probe` (environment: ALLOWED_SECRET, DENIED_SECRET, LOG_GROUP, LOG_STREAM,
 * LOG_MESSAGE, DENIED_LOG_GROUP) prints, one `KEY=value` line each:
 *   AWS_ENV     the names of the AWS_* variables it was given, sorted
 *   CALLER      the caller's ARN (GetCallerIdentity)
 *   ALLOWED     the value of ALLOWED_SECRET
 *   DENIED      the error name of GetSecretValue on DENIED_SECRET (or `none` if it answered)
 *   LOGGED      `ok` once CreateLogStream and PutLogEvents (one event, LOG_MESSAGE) succeeded on
 *               LOG_GROUP/LOG_STREAM
 *   LOG_DENIED  the error name of CreateLogStream on DENIED_LOG_GROUP (or `none`)
 *
 * `node program.cjs rotate` is a Secrets Manager rotation function, one step per run, from the
 * event's fields in the environment (STEP, SECRET_ID, CLIENT_REQUEST_TOKEN), as AWS's templates
 * do it: createSecret puts a random password on the pending version, setSecret and testSecret do
 * nothing (there is no database), finishSecret moves AWSCURRENT to the new version itself.
 *
 * Any other failure prints `ERROR=<name>: <message>` and exits 1.
 */
import { CloudWatchLogsClient, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';

const print = (key: string, value: string): void => {
  process.stdout.write(`${key}=${value}\n`);
};

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

/** The error name a call fails with, or `none` when it succeeds. */
async function refusal(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'none';
  } catch (err) {
    return (err as Error).name;
  }
}

async function probe(): Promise<void> {
  print('AWS_ENV', Object.keys(process.env).filter((name) => name.startsWith('AWS_')).sort().join(','));
  const sts = new STSClient({});
  const sm = new SecretsManagerClient({});
  const logs = new CloudWatchLogsClient({});
  print('CALLER', (await sts.send(new GetCallerIdentityCommand({}))).Arn ?? '');
  print('ALLOWED', (await sm.send(new GetSecretValueCommand({ SecretId: env('ALLOWED_SECRET') }))).SecretString ?? '');
  print('DENIED', await refusal(sm.send(new GetSecretValueCommand({ SecretId: env('DENIED_SECRET') }))));
  const group = env('LOG_GROUP');
  const stream = env('LOG_STREAM');
  await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
  await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: [{ timestamp: Date.now(), message: env('LOG_MESSAGE') }] }));
  print('LOGGED', 'ok');
  print('LOG_DENIED', await refusal(logs.send(new CreateLogStreamCommand({ logGroupName: env('DENIED_LOG_GROUP'), logStreamName: stream }))));
}

async function rotate(): Promise<void> {
  const sm = new SecretsManagerClient({});
  const step = env('STEP');
  const secretId = env('SECRET_ID');
  const token = env('CLIENT_REQUEST_TOKEN');
  print('STEP', step);
  const stagesOf = async (): Promise<Record<string, string[]>> => (await sm.send(new DescribeSecretCommand({ SecretId: secretId }))).VersionIdsToStages ?? {};
  if (step === 'createSecret') {
    // As AWS's templates: the current value must exist; a value already put on the pending version is kept.
    await sm.send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: 'AWSCURRENT' }));
    const existing = await refusal(sm.send(new GetSecretValueCommand({ SecretId: secretId, VersionId: token, VersionStage: 'AWSPENDING' })));
    if (existing !== 'ResourceNotFoundException') {
      print('CREATED', `kept (${existing})`);
      return;
    }
    const { RandomPassword } = await sm.send(new GetRandomPasswordCommand({ PasswordLength: 24, ExcludePunctuation: true }));
    await sm.send(new PutSecretValueCommand({ SecretId: secretId, ClientRequestToken: token, SecretString: RandomPassword, VersionStages: ['AWSPENDING'] }));
    print('CREATED', RandomPassword ?? '');
  } else if (step === 'setSecret' || step === 'testSecret') {
    print('NOOP', step);
  } else if (step === 'finishSecret') {
    const current = Object.entries(await stagesOf()).find(([, stages]) => stages.includes('AWSCURRENT'))?.[0];
    if (current !== token) {
      await sm.send(new UpdateSecretVersionStageCommand({ SecretId: secretId, VersionStage: 'AWSCURRENT', MoveToVersionId: token, ...(current && { RemoveFromVersionId: current }) }));
    }
    // What the function itself sees before it returns: the platform has not moved anything yet.
    print('FINISHED', JSON.stringify(await stagesOf()));
  } else {
    throw new Error(`unknown step ${step}`);
  }
}

const modes: Record<string, () => Promise<void>> = { probe, rotate };
const mode = modes[process.argv[2] ?? ''];
if (!mode) {
  print('ERROR', `usage: program (${Object.keys(modes).join('|')})`);
  process.exitCode = 2;
} else {
  mode().catch((err: unknown) => {
    const error = err as Error;
    print('ERROR', `${error.name}: ${error.message}`);
    process.exitCode = 1;
  });
}
