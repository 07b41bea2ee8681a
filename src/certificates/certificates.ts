import { randomUUID } from 'node:crypto';
import { formatArn, parseArn } from '../lib/arn.js';
import { DomainError, ErrorKind } from '../lib/errors.js';
import { decodeToken, pageOf } from '../lib/pagination.js';
import type { Scope } from '../lib/scope.js';
import type { Store } from '../store/store.js';
import { certificateValidation, readCertificate, type CertificateFacts } from './certificate-pem.js';

/** Seals private keys for the store (the secrets' master key, held by the composition root). */
export interface KeySealer {
  seal(plaintext: Buffer, context: string): string;
  open(sealed: string, context: string): Buffer;
}

export interface CertificateTag {
  Key: string;
  Value?: string;
}

/** An imported certificate; the private key only ever stored sealed under the master key. */
export interface CertificateRecord extends CertificateFacts {
  arn: string;
  accountId: string;
  region: string;
  certificatePem: string;
  chainPem?: string;
  sealedKey: string;
  importedAt: number;
  createdAt: number;
  tags: CertificateTag[];
}

/** A certificate as ACM describes it: the record without its material, with its status and users. */
export interface CertificateView extends Omit<CertificateRecord, 'sealedKey' | 'certificatePem' | 'chainPem'> {
  status: 'ISSUED' | 'EXPIRED';
  inUseBy: string[];
}

const COLLECTION = 'acm.certificates';
/** ACM's default quota of imported certificates per year is 2500; minato counts those held. */
const MAX_CERTIFICATES = 2500;
/** ACM's limit of tags per certificate. */
const MAX_TAGS = 50;
const ARN_RESOURCE = /^certificate\/[0-9a-f-]{36}$/;

const notFound = (arn: string) => new DomainError(ErrorKind.NotFound, `Could not find certificate ${arn}.`, 'certificate');

/**
 * ACM's imported certificates (ImportCertificate, DescribeCertificate, ListCertificates,
 * DeleteCertificate), the source of HTTPS listeners' certificates. `usedBy` names the load
 * balancers that use one (ACM's InUseBy; a used certificate cannot be deleted).
 */
export class Certificates {
  constructor(
    private readonly store: Store,
    private readonly sealer: KeySealer,
    private usedBy: (arn: string) => Promise<string[]> = async () => [],
  ) {}

  /** Set once the load balancers exist (they need the certificates first). */
  setUsage(usedBy: (arn: string) => Promise<string[]>): void {
    this.usedBy = usedBy;
  }

  /** ImportCertificate: a new certificate, or new material under an existing one's ARN. */
  async import(scope: Scope, input: { certificatePem: string; privateKeyPem: string; chainPem?: string; arn?: string; tags?: CertificateTag[] }): Promise<string> {
    const facts = readCertificate(input.certificatePem, input.privateKeyPem, input.chainPem);
    if (input.arn !== undefined && input.tags !== undefined) throw certificateValidation('Tags can only be specified when importing a new certificate, not when reimporting.');
    return this.store.transaction(async (tx) => {
      const certs = tx.collection<CertificateRecord>(COLLECTION);
      let arn = input.arn;
      let previous: CertificateRecord | undefined;
      if (arn !== undefined) {
        this.checkArn(scope, arn);
        previous = await certs.get(arn);
        if (!previous) throw notFound(arn);
        if (previous.domainName !== facts.domainName) {
          throw certificateValidation('The new certificate must have the same domain name as the certificate it replaces.');
        }
      } else {
        const held = await certs.list({ prefix: this.prefix(scope) });
        if (held.length >= MAX_CERTIFICATES) throw new DomainError(ErrorKind.LimitExceeded, 'The certificate limit has been exceeded.', 'certificates');
        arn = formatArn('acm', scope.region, scope.accountId, `certificate/${randomUUID()}`);
      }
      const now = scope.now.getTime();
      await certs.put(arn, {
        ...facts,
        arn,
        accountId: scope.accountId,
        region: scope.region,
        certificatePem: input.certificatePem,
        ...(input.chainPem !== undefined && { chainPem: input.chainPem }),
        sealedKey: this.sealer.seal(Buffer.from(input.privateKeyPem, 'utf8'), arn),
        importedAt: now,
        createdAt: previous?.createdAt ?? now,
        tags: previous?.tags ?? input.tags ?? [],
      });
      return arn;
    });
  }

  async describe(scope: Scope, arn: string): Promise<CertificateView> {
    return this.view(scope, await this.get(scope, arn));
  }

  /** ListCertificates: by default only RSA_2048 certificates, as ACM; `keyTypes` widens it. */
  async list(scope: Scope, options: { statuses?: string[]; keyTypes?: string[]; maxItems?: number; nextToken?: string }): Promise<{ items: CertificateView[]; nextToken?: string }> {
    const after = decodeToken('acm-certificates', options.nextToken);
    const rows = await this.store.collection<CertificateRecord>(COLLECTION).list({ prefix: this.prefix(scope), ...(after !== undefined && { after }) });
    const keyTypes = options.keyTypes ?? ['RSA_1024', 'RSA_2048'];
    const matching: Array<{ key: string; value: CertificateView }> = [];
    for (const row of rows) {
      const view = await this.view(scope, row.value);
      if (!keyTypes.includes(view.keyAlgorithm)) continue;
      if (options.statuses && options.statuses.length > 0 && !options.statuses.includes(view.status)) continue;
      matching.push({ key: row.key, value: view });
    }
    return pageOf('acm-certificates', matching, options.maxItems ?? 1000);
  }

  async delete(scope: Scope, arn: string): Promise<void> {
    await this.get(scope, arn);
    if ((await this.usedBy(arn)).length > 0) throw new DomainError(ErrorKind.FailedPrecondition, `Certificate ${arn} in use.`, 'in-use');
    await this.store.collection<CertificateRecord>(COLLECTION).delete(arn);
  }

  async listTags(scope: Scope, arn: string): Promise<CertificateTag[]> {
    return (await this.get(scope, arn)).tags;
  }

  /** AddTagsToCertificate: a key already there takes the new value; at most 50 tags. */
  async addTags(scope: Scope, arn: string, tags: readonly CertificateTag[]): Promise<void> {
    await this.store.transaction(async (tx) => {
      const record = await this.get(scope, arn);
      const merged = [...record.tags.filter((t) => !tags.some((n) => n.Key === t.Key)), ...tags];
      if (merged.length > MAX_TAGS) throw new DomainError(ErrorKind.LimitExceeded, `the number of tags would exceed ${MAX_TAGS}`, 'tags');
      await tx.collection<CertificateRecord>(COLLECTION).put(arn, { ...record, tags: merged });
    });
  }

  /** RemoveTagsFromCertificate: a tag given with a value goes only when its value matches. */
  async removeTags(scope: Scope, arn: string, tags: readonly CertificateTag[]): Promise<void> {
    await this.store.transaction(async (tx) => {
      const record = await this.get(scope, arn);
      const kept = record.tags.filter((t) => !tags.some((r) => r.Key === t.Key && (r.Value === undefined || r.Value === (t.Value ?? ''))));
      await tx.collection<CertificateRecord>(COLLECTION).put(arn, { ...record, tags: kept });
    });
  }

  /** Whether the caller's account holds the certificate (ELB's listener checks). */
  async exists(scope: Scope, arn: string): Promise<boolean> {
    return arn.startsWith(this.prefix(scope)) && (await this.store.collection<CertificateRecord>(COLLECTION).get(arn)) !== undefined;
  }

  /** The PEM material the data plane serves, the key opened; undefined when the certificate is gone. */
  async material(arn: string): Promise<{ certificatePem: string; privateKeyPem: string; chainPem?: string } | undefined> {
    const record = await this.store.collection<CertificateRecord>(COLLECTION).get(arn);
    if (!record) return undefined;
    return {
      certificatePem: record.certificatePem,
      privateKeyPem: this.sealer.open(record.sealedKey, arn).toString('utf8'),
      ...(record.chainPem !== undefined && { chainPem: record.chainPem }),
    };
  }

  private prefix(scope: Scope) {
    return formatArn('acm', scope.region, scope.accountId, 'certificate/');
  }

  private checkArn(scope: Scope, arn: string): void {
    const parsed = parseArn(arn);
    if (!parsed || parsed.service !== 'acm' || !ARN_RESOURCE.test(parsed.resource)) {
      throw new DomainError(ErrorKind.InvalidArgument, `String '${arn}' is not a valid ARN.`, 'arn');
    }
  }

  private async get(scope: Scope, arn: string): Promise<CertificateRecord> {
    this.checkArn(scope, arn);
    const record = arn.startsWith(this.prefix(scope)) ? await this.store.collection<CertificateRecord>(COLLECTION).get(arn) : undefined;
    if (!record) throw notFound(arn);
    return record;
  }

  private async view(scope: Scope, record: CertificateRecord): Promise<CertificateView> {
    const { sealedKey: _key, certificatePem: _cert, chainPem: _chain, ...rest } = record;
    return { ...rest, status: record.notAfter < scope.now.getTime() ? 'EXPIRED' : 'ISSUED', inUseBy: await this.usedBy(record.arn) };
  }
}
