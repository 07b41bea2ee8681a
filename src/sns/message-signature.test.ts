import { createPrivateKey, createVerify, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalString, signMessage, verifyMessage, type SnsMessage } from './message-signature.js';
import { loadOrCreateSigningKey } from './signing-key.js';

const dir = mkdtempSync(join(tmpdir(), 'minato-sns-key-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const notification: SnsMessage = {
  Type: 'Notification',
  MessageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
  TopicArn: 'arn:aws:sns:us-west-2:123456789012:MyTopic',
  Subject: 'My First Message',
  Message: 'Hello world!\nline two',
  Timestamp: '2012-05-02T00:54:06.655Z',
  UnsubscribeURL: 'http://example/?Action=Unsubscribe',
};

describe('signature version 1', () => {
  it('signs the documented fields in the documented order, Subject only when present', () => {
    expect(canonicalString(notification)).toBe(
      'Message\nHello world!\nline two\nMessageId\n22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324\nSubject\nMy First Message\nTimestamp\n2012-05-02T00:54:06.655Z\nTopicArn\narn:aws:sns:us-west-2:123456789012:MyTopic\nType\nNotification\n',
    );
    const { Subject: _, ...bare } = notification;
    expect(canonicalString(bare)).not.toContain('Subject');
    expect(canonicalString({ Type: 'SubscriptionConfirmation', MessageId: 'm', TopicArn: 't', Message: 'x', Timestamp: 'ts', Token: 'tok', SubscribeURL: 'u' })).toBe(
      'Message\nx\nMessageId\nm\nSubscribeURL\nu\nTimestamp\nts\nToken\ntok\nTopicArn\nt\nType\nSubscriptionConfirmation\n',
    );
  });

  it('verifies with node:crypto against the certificate, and fails for any changed field', () => {
    const key = loadOrCreateSigningKey(dir);
    const signature = signMessage(notification, key.privateKeyPem);
    const cert = new X509Certificate(key.certificatePem);
    expect(createVerify('RSA-SHA1').update(canonicalString(notification)).verify(cert.publicKey, signature, 'base64')).toBe(true);
    expect(verifyMessage(notification, signature, key.certificatePem)).toBe(true);
    for (const field of ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn'] as const) {
      expect(verifyMessage({ ...notification, [field]: `${notification[field]}!` }, signature, key.certificatePem)).toBe(false);
    }
    // The unsubscribe URL is not covered, as on SNS.
    expect(verifyMessage({ ...notification, UnsubscribeURL: 'other' }, signature, key.certificatePem)).toBe(true);
  });

  it('keeps the key 0600 and the same key and certificate across loads', () => {
    const first = loadOrCreateSigningKey(dir);
    const again = loadOrCreateSigningKey(dir);
    expect(again).toEqual(first);
    expect(statSync(join(dir, 'sns', 'signing-key.pem')).mode & 0o777).toBe(0o600);
    expect(new X509Certificate(first.certificatePem).checkPrivateKey(createPrivateKey(first.privateKeyPem))).toBe(true);
  });

  it('is one key and certificate for data dirs sharing a keys directory, the existing pair published', () => {
    const shared = join(dir, 'shared');
    const existing = loadOrCreateSigningKey(dir);
    const other = join(dir, 'other');
    expect(loadOrCreateSigningKey(dir, shared)).toEqual(existing);
    expect(loadOrCreateSigningKey(other, shared)).toEqual(existing);
    expect(statSync(join(shared, 'sns-signing-key.pem')).mode & 0o777).toBe(0o600);
    // A data dir with a pair of its own is refused rather than signing with another key.
    const third = join(dir, 'third');
    loadOrCreateSigningKey(third);
    expect(() => loadOrCreateSigningKey(third, shared)).toThrow(`${join(shared, 'sns-signing-key.pem')} and ${join(third, 'sns', 'signing-key.pem')} hold different keys`);
  });
});
