import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { ec2Service } from '../../src/api/ec2/ec2-service.js';
import { stsService } from '../../src/api/sts/sts-service.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { Ec2Network } from '../../src/vpc/network.js';
import { startFrontDoor, type TestFrontDoor } from '../support/front-door.js';
import { createIamDomain } from '../../src/iam/iam-domain.js';
import { ValueCipher } from '../../src/secrets/crypto/value-cipher.js';

/** An EC2 front door for one test file, over its own store. */
export interface Ec2Fixture {
  endpoint(): string;
  /** A scratch directory (the store's and the clients' home), removed after the file's tests. */
  dir(): string;
}

/** Starts the front door (beforeAll), with STS beside EC2 when a client asks who it is (Terraform). */
export function useEc2FrontDoor(options: { withSts?: boolean } = {}): Ec2Fixture {
  let dir: string | undefined;
  let store: SqliteStore | undefined;
  let door: TestFrontDoor | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'minato-ec2-'));
    store = new SqliteStore(join(dir, 'state.db'));
    door = await startFrontDoor([ec2Service(new Ec2Network(store)), ...(options.withSts ? [stsService(createIamDomain(store, new ValueCipher(randomBytes(32))).tokens)] : [])]);
  });
  afterAll(async () => {
    await door?.close();
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return { endpoint: () => door!.endpoint, dir: () => dir! };
}
