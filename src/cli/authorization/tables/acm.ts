import { ACCESS_DENIED_EXCEPTION, type AuthorizationTable, type Input, type Resources } from '../table.js';

/*
 * Certificate Manager (prefix `acm`). DescribeCertificate, DeleteCertificate and a re-import
 * (ImportCertificate with CertificateArn) act on the certificate's ARN. On `*`: ListCertificates
 * and a first import.
 */
const certificate: Resources = (input: Input) => [input.CertificateArn];

export const ACM_AUTHORIZATION: AuthorizationTable = {
  prefix: 'acm',
  denial: ACCESS_DENIED_EXCEPTION,
  resources: { ImportCertificate: certificate, DescribeCertificate: certificate, DeleteCertificate: certificate },
};
