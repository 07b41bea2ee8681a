import { loadServiceModel } from '../../aws-model/service-model.js';
import { DomainError, ErrorKind } from '../../lib/errors.js';
import type { Certificates, CertificateTag, CertificateView } from '../../certificates/certificates.js';
import type { AwsService, OperationHandler } from '../../server/service.js';
import { errorNameLookup, type ErrorTable } from '../error-table.js';

/** ACM's error table; a name the model does not list for the operation falls back to ValidationException. */
export const ACM_ERROR_TABLE: ErrorTable = {
  'NotFound/certificate': 'ResourceNotFoundException',
  'InvalidArgument/arn': 'InvalidArnException',
  InvalidArgument: 'ValidationException',
  'FailedPrecondition/in-use': 'ResourceInUseException',
  'LimitExceeded/tags': 'TooManyTagsException',
  LimitExceeded: 'LimitExceededException',
};

const acmErrorName = errorNameLookup(ACM_ERROR_TABLE, 'ValidationException');

/** Blobs arrive as base64 text on the JSON protocol; PEM is text. */
const pem = (blob: string) => Buffer.from(blob, 'base64').toString('utf8');

const seconds = (ms: number) => ms / 1000;

const detailOut = (c: CertificateView) => ({
  CertificateArn: c.arn,
  DomainName: c.domainName,
  SubjectAlternativeNames: c.subjectAlternativeNames,
  Serial: c.serial,
  Subject: c.subject,
  Issuer: c.issuer,
  CreatedAt: seconds(c.createdAt),
  ImportedAt: seconds(c.importedAt),
  Status: c.status,
  NotBefore: seconds(c.notBefore),
  NotAfter: seconds(c.notAfter),
  KeyAlgorithm: c.keyAlgorithm,
  InUseBy: c.inUseBy,
  Type: 'IMPORTED',
  RenewalEligibility: 'INELIGIBLE',
  Options: { CertificateTransparencyLoggingPreference: 'ENABLED' },
});

const summaryOut = (c: CertificateView) => ({
  CertificateArn: c.arn,
  DomainName: c.domainName,
  SubjectAlternativeNameSummaries: c.subjectAlternativeNames,
  HasAdditionalSubjectAlternativeNames: false,
  Status: c.status,
  Type: 'IMPORTED',
  KeyAlgorithm: c.keyAlgorithm,
  InUse: c.inUseBy.length > 0,
  RenewalEligibility: 'INELIGIBLE',
  NotBefore: seconds(c.notBefore),
  NotAfter: seconds(c.notAfter),
  CreatedAt: seconds(c.createdAt),
  ImportedAt: seconds(c.importedAt),
});

function acmHandlers(certificates: Certificates): Record<string, OperationHandler> {
  return {
    async ImportCertificate(input: { Certificate: string; PrivateKey: string; CertificateChain?: string; CertificateArn?: string; Tags?: CertificateTag[] }, ctx) {
      const arn = await certificates.import(ctx.scope, {
        certificatePem: pem(input.Certificate),
        privateKeyPem: pem(input.PrivateKey),
        ...(input.CertificateChain !== undefined && { chainPem: pem(input.CertificateChain) }),
        ...(input.CertificateArn !== undefined && { arn: input.CertificateArn }),
        ...(input.Tags !== undefined && { tags: input.Tags }),
      });
      return { CertificateArn: arn };
    },
    async DescribeCertificate(input: { CertificateArn: string }, ctx) {
      return { Certificate: detailOut(await certificates.describe(ctx.scope, input.CertificateArn)) };
    },
    async ListCertificates(input: { CertificateStatuses?: string[]; Includes?: Record<string, unknown> & { keyTypes?: string[] }; NextToken?: string; MaxItems?: number; SortBy?: string; SortOrder?: string }, ctx) {
      // Only the key type filter is acted on; the others, and sorting, are refused rather than ignored.
      const refused = [
        ...(input.SortBy !== undefined ? ['SortBy'] : []),
        ...(input.SortOrder !== undefined ? ['SortOrder'] : []),
        ...Object.keys(input.Includes ?? {})
          .filter((k) => k !== 'keyTypes')
          .map((k) => `Includes.${k}`),
      ];
      if (refused.length > 0) throw new DomainError(ErrorKind.InvalidArgument, `The parameter ${refused[0]} is not supported by this endpoint.`);
      const page = await certificates.list(ctx.scope, {
        ...(input.CertificateStatuses !== undefined && { statuses: input.CertificateStatuses }),
        ...(input.Includes?.keyTypes !== undefined && { keyTypes: input.Includes.keyTypes }),
        ...(input.NextToken !== undefined && { nextToken: input.NextToken }),
        ...(input.MaxItems !== undefined && { maxItems: input.MaxItems }),
      });
      return { CertificateSummaryList: page.items.map(summaryOut), ...(page.nextToken !== undefined && { NextToken: page.nextToken }) };
    },
    async ListTagsForCertificate(input: { CertificateArn: string }, ctx) {
      return { Tags: await certificates.listTags(ctx.scope, input.CertificateArn) };
    },
    async AddTagsToCertificate(input: { CertificateArn: string; Tags: CertificateTag[] }, ctx) {
      await certificates.addTags(ctx.scope, input.CertificateArn, input.Tags);
      return {};
    },
    async RemoveTagsFromCertificate(input: { CertificateArn: string; Tags: CertificateTag[] }, ctx) {
      await certificates.removeTags(ctx.scope, input.CertificateArn, input.Tags);
      return {};
    },
    async DeleteCertificate(input: { CertificateArn: string }, ctx) {
      await certificates.delete(ctx.scope, input.CertificateArn);
      return {};
    },
  };
}

/**
 * AWS Certificate Manager (JSON 1.1, target prefix CertificateManager), for imported certificates
 * only: the operations HTTPS listeners and their tags need. Requesting, exporting and renewing are refused
 * by name (minato is no certificate authority).
 */
export function acmService(certificates: Certificates): AwsService {
  return {
    signingName: 'acm',
    model: loadServiceModel('acm'),
    handlers: acmHandlers(certificates),
    errorName: acmErrorName,
    constraintErrorName: 'ValidationException',
    genericErrorNames: { client: 'ValidationException', server: 'InternalFailure' },
  };
}
