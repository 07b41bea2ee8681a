import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Scope } from '../../lib/scope.js';
import { MemoryStore } from '../../store/memory-store.js';
import { createSecretsDomain, type SecretsDomain } from '../secrets-domain.js';
import { SECRET_VALUES } from './secret-values.js';

const DAY = 86_400_000;
const t0 = Date.UTC(2025, 0, 10, 15, 30);
const at = (ms: number): Scope => ({ accountId: '123456789012', region: 'us-east-1', principalArn: 'p', now: new Date(ms) });
const value = (text: string) => ({ kind: 'string' as const, text });

let store: MemoryStore;
let domain: SecretsDomain;
beforeEach(() => {
  store = new MemoryStore();
  domain = createSecretsDomain(store, randomBytes(32));
});
const storedValues = async () => (await store.collection(SECRET_VALUES).list()).length;

describe('SecretsManager over time', () => {
  it('forgets a secret once its recovery window has passed, and frees the name', async () => {
    const { arn } = await domain.secrets.create(at(t0), { name: 'old', value: value('v') });
    const { deletionDate } = await domain.secrets.delete(at(t0), 'old', { recoveryWindowInDays: 7 });
    expect(deletionDate).toBe(t0 + 7 * DAY);
    // Still restorable inside the window.
    expect((await domain.secrets.describe(at(t0 + 7 * DAY - 1), 'old')).deletedDate).toBe(t0);
    await expect(domain.secrets.describe(at(t0 + 7 * DAY), arn)).rejects.toThrow("Secrets Manager can't find the specified secret.");
    const listed = await domain.secretListing.list(at(t0 + 8 * DAY), { includePlannedDeletion: true, maxResults: 10 });
    expect(listed.items).toEqual([]);
    const again = await domain.secrets.create(at(t0 + 8 * DAY), { name: 'old', value: value('new') });
    expect(again.arn).not.toBe(arn);
    expect((await domain.secrets.getValue(at(t0 + 8 * DAY), 'old')).value).toEqual(value('new'));
  });

  it('records access by the day, on the secret and the version read', async () => {
    const { versionId } = await domain.secrets.create(at(t0), { name: 's', value: value('v') });
    await domain.secrets.getValue(at(t0 + DAY), 's');
    const secret = await domain.secrets.describe(at(t0 + DAY), 's');
    const midnight = Date.UTC(2025, 0, 11);
    expect(secret.lastAccessedDate).toBe(midnight);
    expect(secret.versions.find((v) => v.versionId === versionId)?.lastAccessedDate).toBe(midnight);
    // Changing the secret moves LastChangedDate; reading it does not.
    expect(secret.lastChangedDate).toBe(t0);
  });

  it('answers a forced deletion of a secret that does not exist with success, as AWS does', async () => {
    const deleted = await domain.secrets.delete(at(t0), 'never-was', { force: true });
    expect(deleted).toMatchObject({ name: 'never-was', deletionDate: t0 });
    expect(deleted.arn).toMatch(/:secret:never-was-[A-Za-z0-9]{6}$/);
  });

  it('removes every value of a secret deleted for good', async () => {
    await domain.secrets.create(at(t0), { name: 'gone', value: value('a') });
    await domain.secrets.putValue(at(t0), 'gone', { value: value('b') });
    expect(await storedValues()).toBe(2);
    await domain.secrets.delete(at(t0), 'gone', { force: true });
    expect(await storedValues()).toBe(0);
  });
});
