import type { ServiceModel } from '../aws-model/service-model.js';
import type { DomainError } from '../lib/errors.js';
import type { Scope } from '../lib/scope.js';

/** What a handler knows of the request besides its input. */
export interface RequestContext {
  readonly scope: Scope;
  readonly requestId: string;
  /** The address the request came from (`aws:SourceIp`), IPv4-mapped IPv6 addresses as IPv4. */
  readonly sourceIp?: string;
  /** Whether it came over TLS (`aws:SecureTransport`). */
  readonly secureTransport?: boolean;
}

/** Handles one operation: the validated input in, the output shape out (wire member names). */
// Inputs arrive validated against the operation's model shape, so handlers may narrow them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type OperationHandler = (input: any, ctx: RequestContext) => Promise<unknown>;

/** One AWS API served over JSON 1.1 (dispatched by X-Amz-Target) or Query (by Action). */
export interface AwsService {
  /** The service's signing name, e.g. `ecs`: the credential scope must name it. */
  readonly signingName: string;
  /** The model: operations, shapes, error names. */
  readonly model: ServiceModel;
  /** Handlers by operation name; an operation without one answers UnknownOperationException. */
  readonly handlers: Readonly<Record<string, OperationHandler>>;
  /** The exception name this API uses for `err` in `operation` (one table per API). */
  errorName(err: DomainError, operation: string): string;
  /** HTTP statuses of exceptions that are not 400 nor 500 (AWS's common errors the model does not describe, e.g. STS's AccessDenied: 403). */
  readonly errorStatuses?: Readonly<Record<string, number>>;
  /** The exception name for a request that breaks the model's constraints. */
  readonly constraintErrorName: string;
  /** Largest request body this API takes, when it differs from the front door's default. */
  readonly bodyLimit?: number;
  /**
   * True when the model lists no errors and the table's names go on the wire as they are (EC2's
   * codes); otherwise a name the operation does not list becomes the generic one.
   */
  readonly unmodelledErrors?: boolean;
  /** The catch-all exception names for caller faults and server faults. */
  readonly genericErrorNames: { readonly client: string; readonly server: string };
}
