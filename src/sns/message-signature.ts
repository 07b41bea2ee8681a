import { createSign, createVerify } from 'node:crypto';

/** The members of a message SNS posts to HTTP/S endpoints (its JSON body). */
export interface SnsMessage {
  readonly Type: 'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';
  readonly MessageId: string;
  readonly TopicArn: string;
  readonly Subject?: string;
  readonly Message: string;
  readonly Timestamp: string;
  readonly Token?: string;
  readonly SubscribeURL?: string;
  readonly UnsubscribeURL?: string;
  readonly MessageAttributes?: Readonly<Record<string, { Type: string; Value: string }>>;
}

/** The fields signature version 1 covers, in its order, by message type. */
const NOTIFICATION_FIELDS = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] as const;
const CONFIRMATION_FIELDS = ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'] as const;

/**
 * The string SNS signs: each covered field present as `name\nvalue\n`, in the documented order
 * (a notification's Subject only when it has one).
 */
export function canonicalString(m: SnsMessage): string {
  const fields = m.Type === 'Notification' ? NOTIFICATION_FIELDS : CONFIRMATION_FIELDS;
  let out = '';
  for (const name of fields) {
    const value = m[name];
    if (value !== undefined) out += `${name}\n${value}\n`;
  }
  return out;
}

/** Signature version 1: SHA1withRSA over the canonical string, base64. */
export function signMessage(m: SnsMessage, privateKeyPem: string): string {
  return createSign('RSA-SHA1').update(canonicalString(m), 'utf8').sign(privateKeyPem, 'base64');
}

/** Checks a version-1 signature against the signing certificate, as SNS's client libraries do. */
export function verifyMessage(m: SnsMessage, signature: string, certificatePem: string): boolean {
  return createVerify('RSA-SHA1').update(canonicalString(m), 'utf8').verify(certificatePem, signature, 'base64');
}
