import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { awsCli, type CliResult } from '../support/aws-cli.js';
import { selfSignedCertificate, useElbFrontDoor } from './elbv2-fixture.js';

const fixture = useElbFrontDoor();
const aws = (...args: string[]) => awsCli(fixture.endpoint(), fixture.dataDir(), args);
afterAll(() => expect(fixture.errors).toEqual([]));

/** The CLI's output: JSON of the API's output shapes, read as loosely as JSON.parse gives it. */
type Output = ReturnType<typeof JSON.parse>;

const json = (res: CliResult): Output => {
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  return JSON.parse(res.stdout || '{}');
};

/** The error code in the CLI's message: "An error occurred (Code) when calling ...". */
const errorCode = (res: CliResult) => {
  expect(res.code).not.toBe(0);
  return /An error occurred \(([^)]+)\)/.exec(res.stderr)?.[1];
};

// The AWS CLI speaks the Query protocol to ELB and JSON 1.1 to ACM; its waiters poll the same operations.
describe('the AWS CLI against ELBv2 and ACM', () => {
  it('creates, waits for, describes and deletes a load balancer with target group, listener and rule', async () => {
    const lb = json(await aws('elbv2', 'create-load-balancer', '--name', 'cli-web', '--subnets', 'subnet-00000001', 'subnet-00000002', '--tags', 'Key=env,Value=dev')).LoadBalancers[0];
    expect(lb.DNSName).toMatch(/^cli-web-\d{10}\.us-east-1\.elb\.amazonaws\.com$/);
    json(await aws('elbv2', 'wait', 'load-balancer-available', '--load-balancer-arns', lb.LoadBalancerArn));
    const tg = json(await aws('elbv2', 'create-target-group', '--name', 'cli-api', '--protocol', 'HTTP', '--port', '8080', '--vpc-id', 'vpc-00000001', '--target-type', 'ip', '--health-check-path', '/ping')).TargetGroups[0];
    json(await aws('elbv2', 'modify-target-group-attributes', '--target-group-arn', tg.TargetGroupArn, '--attributes', 'Key=deregistration_delay.timeout_seconds,Value=0'));
    const listener = json(await aws('elbv2', 'create-listener', '--load-balancer-arn', lb.LoadBalancerArn, '--protocol', 'HTTP', '--port', '80', '--default-actions', `Type=forward,TargetGroupArn=${tg.TargetGroupArn}`)).Listeners[0];
    const rule = json(await aws('elbv2', 'create-rule', '--listener-arn', listener.ListenerArn, '--priority', '7',
      '--conditions', 'Field=path-pattern,Values=/admin/*', '--actions', 'Type=fixed-response,FixedResponseConfig={StatusCode=403,ContentType=text/plain,MessageBody=no}')).Rules[0];
    expect(rule.Conditions).toEqual([{ Field: 'path-pattern', Values: ['/admin/*'], PathPatternConfig: { Values: ['/admin/*'] } }]);

    json(await aws('elbv2', 'register-targets', '--target-group-arn', tg.TargetGroupArn, '--targets', 'Id=10.2.0.1', 'Id=10.2.0.2,Port=8081'));
    json(await aws('elbv2', 'wait', 'target-in-service', '--target-group-arn', tg.TargetGroupArn));
    const health = json(await aws('elbv2', 'describe-target-health', '--target-group-arn', tg.TargetGroupArn)).TargetHealthDescriptions;
    expect(health.map((d: Output) => [d.Target.Id, d.Target.Port, d.TargetHealth.State])).toEqual([['10.2.0.1', 8080, 'healthy'], ['10.2.0.2', 8081, 'healthy']]);
    json(await aws('elbv2', 'deregister-targets', '--target-group-arn', tg.TargetGroupArn, '--targets', 'Id=10.2.0.2,Port=8081'));
    json(await aws('elbv2', 'wait', 'target-deregistered', '--target-group-arn', tg.TargetGroupArn, '--targets', 'Id=10.2.0.2,Port=8081'));

    const tags = json(await aws('elbv2', 'describe-tags', '--resource-arns', lb.LoadBalancerArn)).TagDescriptions;
    expect(tags).toEqual([{ ResourceArn: lb.LoadBalancerArn, Tags: [{ Key: 'env', Value: 'dev' }] }]);
    const limits = json(await aws('elbv2', 'describe-account-limits')).Limits;
    expect(limits).toContainEqual({ Name: 'application-load-balancers', Max: '50' });

    expect(errorCode(await aws('elbv2', 'delete-target-group', '--target-group-arn', tg.TargetGroupArn))).toBe('ResourceInUse');
    json(await aws('elbv2', 'delete-load-balancer', '--load-balancer-arn', lb.LoadBalancerArn));
    json(await aws('elbv2', 'wait', 'load-balancers-deleted', '--load-balancer-arns', lb.LoadBalancerArn));
    expect(errorCode(await aws('elbv2', 'describe-listeners', '--listener-arns', listener.ListenerArn))).toBe('ListenerNotFound');
    // With its load balancer gone the group is free to delete.
    json(await aws('elbv2', 'delete-target-group', '--target-group-arn', tg.TargetGroupArn));
    expect(errorCode(await aws('elbv2', 'describe-target-groups', '--target-group-arns', tg.TargetGroupArn))).toBe('TargetGroupNotFound');
  }, 120_000);

  it('serves a network load balancer with a TCP listener', async () => {
    const lb = json(await aws('elbv2', 'create-load-balancer', '--name', 'cli-tcp', '--type', 'network', '--subnets', 'subnet-00000003')).LoadBalancers[0];
    expect(lb.DNSName).toMatch(/^cli-tcp-[0-9a-f]{16}\.elb\.us-east-1\.amazonaws\.com$/);
    const tg = json(await aws('elbv2', 'create-target-group', '--name', 'cli-tcp', '--protocol', 'TCP', '--port', '5432', '--vpc-id', 'vpc-00000001', '--target-type', 'ip')).TargetGroups[0];
    expect(tg).toMatchObject({ HealthCheckProtocol: 'TCP', HealthCheckTimeoutSeconds: 10 });
    expect(tg).not.toHaveProperty('HealthCheckPath');
    const attrs = json(await aws('elbv2', 'describe-target-group-attributes', '--target-group-arn', tg.TargetGroupArn)).Attributes;
    expect(attrs).toContainEqual({ Key: 'stickiness.type', Value: 'source_ip' });
    json(await aws('elbv2', 'create-listener', '--load-balancer-arn', lb.LoadBalancerArn, '--protocol', 'TCP', '--port', '5432', '--default-actions', `Type=forward,TargetGroupArn=${tg.TargetGroupArn}`));
    expect(errorCode(await aws('elbv2', 'create-listener', '--load-balancer-arn', lb.LoadBalancerArn, '--protocol', 'HTTP', '--port', '80', '--default-actions', `Type=forward,TargetGroupArn=${tg.TargetGroupArn}`))).toBe('UnsupportedProtocol');
    const served = fixture.dataPlane().last!.loadBalancers.find((l) => l.arn === lb.LoadBalancerArn)!;
    expect(served.listeners.map((l) => [l.protocol, l.port])).toEqual([['TCP', 5432]]);
  }, 120_000);

  it('imports a certificate from files and answers model violations with ValidationError', async () => {
    const cert = selfSignedCertificate(fixture.dataDir(), 'cli.example.com');
    const arn = json(await aws('acm', 'import-certificate', '--certificate', `fileb://${cert.certFile}`, '--private-key', `fileb://${cert.keyFile}`)).CertificateArn;
    const listed = json(await aws('acm', 'list-certificates')).CertificateSummaryList;
    expect(listed.map((c: Output) => [c.CertificateArn, c.DomainName, c.Status])).toContainEqual([arn, 'cli.example.com', 'ISSUED']);
    const garbage = join(fixture.dataDir(), 'garbage.pem');
    writeFileSync(garbage, 'not a certificate');
    expect(errorCode(await aws('acm', 'import-certificate', '--certificate', `fileb://${garbage}`, '--private-key', `fileb://${cert.keyFile}`))).toBe('ValidationException');
    expect(errorCode(await aws('elbv2', 'create-target-group', '--name', 'bad', '--protocol', 'HTTP', '--port', '70000', '--vpc-id', 'vpc-00000001'))).toBe('ValidationError');
    expect(errorCode(await aws('elbv2', 'describe-load-balancers', '--load-balancer-arns', 'not-an-arn'))).toBe('ValidationError');
  }, 120_000);
});
