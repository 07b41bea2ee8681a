import { operationModel, shapeModel, type ServiceModel } from '../aws-model/service-model.js';
import { type AwsError, xmlEscape } from './aws-error.js';
import { indexed, insert, readScalar, writeMembers, type ParamTree } from './query-protocol.js';
import type { AwsService } from './service.js';

/**
 * EC2's own protocol (`ec2` in the model): form parameters as in Query, but lists are flattened
 * (`Filter.1.Value.2`, no `.member.`) and members are named by their locationName with its first
 * letter upper-cased; the response is the output's members under `<ActionResponse>` beside a
 * `<requestId>`, with no Result wrapper; errors come as `<Response><Errors><Error>`.
 */

/** The parameter name of a member: its locationName, first letter upper-cased, else its name. */
const paramName = (member: string, locationName: string | undefined) =>
  locationName ? locationName[0]!.toUpperCase() + locationName.slice(1) : member;

/** Reads the form parameters of `operation` into its input structure (see decodeQueryInput). */
export function decodeEc2Input(model: ServiceModel, operation: string, params: URLSearchParams): Record<string, unknown> {
  const ref = operationModel(model, operation).input;
  const tree: ParamTree = {};
  for (const [key, value] of params) {
    if (key === 'Action' || key === 'Version' || key.startsWith('X-Amz-')) continue;
    insert(tree, key.split('.'), value);
  }
  if (!ref) return {};
  return (readShape(model, ref.shape, tree) ?? {}) as Record<string, unknown>;
}

function readShape(model: ServiceModel, name: string, value: ParamTree | string | undefined): unknown {
  if (value === undefined) return undefined;
  const shape = shapeModel(model, name);
  switch (shape.type) {
    case 'structure': {
      if (typeof value === 'string') return value;
      const out: Record<string, unknown> = {};
      for (const [member, ref] of Object.entries(shape.members)) {
        const key = paramName(member, ref.locationName);
        const read = readShape(model, ref.shape, Object.hasOwn(value, key) ? value[key] : undefined);
        if (read !== undefined) out[member] = read;
      }
      return out;
    }
    case 'list':
      if (typeof value === 'string') return value === '' ? [] : value;
      return indexed(value).map((item) => readShape(model, shape.member.shape, item));
    case 'map':
      // EC2's inputs have no maps; one would be a model this reader does not know.
      return typeof value === 'string' ? value : {};
    default:
      return typeof value === 'string' ? readScalar(shape, value) : value;
  }
}

/** EC2's XML namespace, with the trailing slash AWS writes. */
export function ec2Namespace(service: AwsService): string {
  const ns = service.model.metadata.xmlNamespace ?? `http://ec2.amazonaws.com/doc/${service.model.metadata.apiVersion}`;
  return ns.endsWith('/') ? ns : `${ns}/`;
}

/** `<ActionResponse xmlns=…><requestId>…</requestId>…members…</ActionResponse>`. */
export function ec2ResponseXml(service: AwsService, action: string, output: unknown, requestId: string): string {
  const op = operationModel(service.model, action);
  const members = op.output ? writeMembers(service.model, op.output.shape, output ?? {}) : '';
  // An operation without output still answers `<return>true</return>`, as EC2 does.
  const body = op.output ? members : '<return>true</return>';
  return `<${action}Response xmlns="${ec2Namespace(service)}"><requestId>${requestId}</requestId>${body}</${action}Response>`;
}

/** EC2's error document: `RequestID`, not Query's `RequestId`. */
export function ec2ErrorXml(err: AwsError, requestId: string): string {
  return (
    `<Response><Errors><Error><Code>${xmlEscape(err.code)}</Code><Message>${xmlEscape(err.message)}</Message></Error></Errors>` +
    `<RequestID>${requestId}</RequestID></Response>`
  );
}
