import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { DomainError, ErrorKind } from '../lib/errors.js';

/**
 * Reading imported PEM material: ACM's checks of ImportCertificate (one certificate, a private key
 * that is not encrypted and matches the certificate's public key, a chain of certificates) and
 * the fields DescribeCertificate shows. Messages never quote the key.
 */
export const certificateValidation = (message: string) => new DomainError(ErrorKind.InvalidArgument, message, 'validation');

export interface CertificateFacts {
  domainName: string;
  subjectAlternativeNames: string[];
  serial: string;
  subject: string;
  issuer: string;
  notBefore: number;
  notAfter: number;
  keyAlgorithm: string;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function oneCertificate(pem: string, what: string): X509Certificate {
  const blocks = pem.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) throw certificateValidation(`Unable to parse ${what}. Please ensure the ${what} is in PEM format.`);
  if (blocks.length > 1) throw certificateValidation(`The ${what} field contains more than one certificate. You can specify only one certificate in this field.`);
  try {
    return new X509Certificate(blocks[0]!);
  } catch {
    throw certificateValidation(`Unable to parse ${what}. Please ensure the ${what} is in PEM format.`);
  }
}

function keyAlgorithmOf(key: KeyObject): string {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') return `RSA_${details.modulusLength ?? 0}`;
  if (key.asymmetricKeyType === 'ec') {
    const curve = details.namedCurve ?? '';
    return curve === 'prime256v1' ? 'EC_prime256v1' : curve === 'secp384r1' ? 'EC_secp384r1' : curve === 'secp521r1' ? 'EC_secp521r1' : `EC_${curve}`;
  }
  throw certificateValidation(`The certificate's key type '${key.asymmetricKeyType ?? 'unknown'}' is not supported.`);
}

/** Checks the material and reads the certificate's facts; throws ACM's ValidationException otherwise. */
export function readCertificate(certificatePem: string, privateKeyPem: string, chainPem?: string): CertificateFacts {
  const cert = oneCertificate(certificatePem, 'certificate');
  if (/ENCRYPTED/.test(privateKeyPem)) throw certificateValidation('The private key is encrypted; import an unencrypted private key.');
  let key: KeyObject;
  try {
    key = createPrivateKey(privateKeyPem);
  } catch {
    throw certificateValidation('Unable to parse the private key. Please ensure the private key is in PEM format.');
  }
  if (!cert.checkPrivateKey(key)) throw certificateValidation('The private key does not match the public key in the certificate.');
  if (chainPem !== undefined) {
    const blocks = chainPem.match(PEM_CERTIFICATE) ?? [];
    if (blocks.length === 0) throw certificateValidation('Unable to parse the certificate chain. Please ensure the chain is in PEM format.');
    for (const block of blocks) {
      try {
        new X509Certificate(block);
      } catch {
        throw certificateValidation('Unable to parse the certificate chain. Please ensure the chain is in PEM format.');
      }
    }
  }
  const cn = /(?:^|\n)CN=([^\n]+)/.exec(cert.subject)?.[1];
  const sans = (cert.subjectAltName ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.startsWith('DNS:'))
    .map((s) => s.slice(4));
  const domainName = cn ?? sans[0];
  if (!domainName) throw certificateValidation('The certificate must name a domain in its subject or subject alternative names.');
  return {
    domainName,
    subjectAlternativeNames: sans.length > 0 ? sans : [domainName],
    serial: (cert.serialNumber.toLowerCase().match(/../g) ?? []).join(':'),
    subject: cert.subject.split('\n').reverse().join(','),
    issuer: cert.issuer.split('\n').reverse().join(','),
    notBefore: Date.parse(cert.validFrom),
    notAfter: Date.parse(cert.validTo),
    keyAlgorithm: keyAlgorithmOf(cert.publicKey),
  };
}
