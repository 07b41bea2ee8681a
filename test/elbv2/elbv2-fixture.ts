import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { acmService } from '../../src/api/acm/acm-service.js';
import { elbv2Service } from '../../src/api/elbv2/elbv2-service.js';
import { Certificates } from '../../src/certificates/certificates.js';
import { parseSubnet } from '../../src/elb/addresses.js';
import { createElbDomain, type ElbDomain } from '../../src/elb/elb-domain.js';
import type { LoadBalancerDataPlane, ObservedTargetHealth, ProxyConfig } from '../../src/lb-proxy/proxy-config.js';
import { ValueCipher } from '../../src/secrets/crypto/value-cipher.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { startFrontDoor, type TestFrontDoor } from '../support/front-door.js';

/**
 * A data plane for the API tests: it records what it was given and reports, for every target of
 * a group some listener uses, the health the test set (healthy unless told otherwise), as the
 * real data plane's health checks would conclude.
 */
export class ScriptedDataPlane implements LoadBalancerDataPlane {
  configs: ProxyConfig[] = [];
  unhealthy = new Set<string>();

  apply(config: ProxyConfig): Promise<void> {
    this.configs.push(structuredClone(config));
    return Promise.resolve();
  }

  get last(): ProxyConfig | undefined {
    return this.configs[this.configs.length - 1];
  }

  targetHealth(targetGroupArn: string): ObservedTargetHealth[] {
    const tg = this.last?.targetGroups.find((g) => g.arn === targetGroupArn);
    return (tg?.targets ?? []).map((t) =>
      this.unhealthy.has(t.id)
        ? { id: t.id, port: t.port, state: 'unhealthy', reason: 'Target.ResponseCodeMismatch', description: 'Health checks failed with these codes: [500]', since: new Date() }
        : { id: t.id, port: t.port, state: 'healthy', since: new Date() },
    );
  }

  onHealthChange(): void {}

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** The ELBv2 and ACM APIs over one data directory, restartable (store, domain and front door anew). */
export interface ElbFixture {
  endpoint(): string;
  dataDir(): string;
  dataPlane(): ScriptedDataPlane;
  elb(): ElbDomain;
  /** Closes everything and starts again over the same data directory (and master key). */
  restart(): Promise<void>;
  /** Instance ids the domain knows (instance targets resolve to 10.0.0.<n>). */
  instances: Map<string, string>;
  /** Background failures the domain reported (applies, drains): tests expect none. */
  errors: unknown[];
}

export function useElbFrontDoor(options: { clock?: () => Date } = {}): ElbFixture {
  let dir: string | undefined;
  let store: SqliteStore | undefined;
  let door: TestFrontDoor | undefined;
  let elb: ElbDomain | undefined;
  let dataPlane = new ScriptedDataPlane();
  const masterKey = randomBytes(32);
  const instances = new Map<string, string>();
  const errors: unknown[] = [];

  async function open(): Promise<void> {
    store = new SqliteStore(join(dir!, 'minato.db'));
    const certificates = new Certificates(store, new ValueCipher(masterKey));
    dataPlane = new ScriptedDataPlane();
    elb = createElbDomain({
      store,
      dataPlane,
      certificates,
      instanceAddress: (id) => instances.get(id),
      subnet: parseSubnet('127.77.0.0/16'),
      ...(options.clock && { clock: options.clock }),
      onError: (err) => errors.push(err),
    });
    const domain = elb;
    certificates.setUsage((arn) => domain.certificateUsers(arn));
    await elb.start();
    door = await startFrontDoor([elbv2Service(elb), acmService(certificates)]);
  }

  async function shut(): Promise<void> {
    await door?.close();
    await elb?.close();
    await store?.close();
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'minato-elbv2-'));
    await open();
  });
  afterAll(async () => {
    await shut();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return {
    endpoint: () => door!.endpoint,
    dataDir: () => dir!,
    dataPlane: () => dataPlane,
    elb: () => elb!,
    restart: async () => {
      await shut();
      await open();
    },
    instances,
    errors,
  };
}

/** A self-signed certificate and its key, made with the openssl CLI in `dir`. */
export function selfSignedCertificate(dir: string, domain: string, keyType: 'rsa' | 'ec' = 'rsa'): { certificatePem: string; privateKeyPem: string; certFile: string; keyFile: string } {
  const keyFile = join(dir, `${domain}.key`);
  const certFile = join(dir, `${domain}.crt`);
  const keyArgs = keyType === 'rsa' ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];
  execFileSync('openssl', ['req', '-x509', ...keyArgs, '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '30', '-subj', `/CN=${domain}`, '-addext', `subjectAltName=DNS:${domain},DNS:www.${domain}`], { stdio: 'ignore' });
  return { certificatePem: readFileSync(certFile, 'utf8'), privateKeyPem: readFileSync(keyFile, 'utf8'), certFile, keyFile };
}
