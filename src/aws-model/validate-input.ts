import { check } from './input-checks.js';
import { SERIALIZATION, toProblem, type InputProblem } from './input-messages.js';
import { rootNode } from './input-shapes.js';
import type { ServiceModel } from './service-model.js';

/**
 * Server-side checks of a JSON-protocol request body against an operation's input shape, in the
 * order AWS's (Coral) front end applies them: first the body is read into the modelled types (a
 * member of the wrong JSON type is a `SerializationException`), then the modelled constraints are
 * checked (required, length, range, pattern, enum: a `ValidationException`).
 *
 * Message texts follow what AWS answers; see `SER` and `constraintMessage` (input-messages.ts) for
 * their sources.
 *
 * It runs on every request, so each shape is compiled once per model into a small node graph
 * (patterns compiled, enums in Sets, required flags on members) and a valid request walks that graph
 * without allocating: paths and messages are only built while unwinding from a problem.
 */

const EMPTY: Readonly<Record<string, never>> = Object.freeze({});

/**
 * Returns the first problem of `input` (a parsed JSON body) for `operation`'s input shape, or
 * undefined when AWS would accept it. A serialization problem anywhere wins over a constraint
 * problem, as AWS reads the whole body before validating it. Unknown members are ignored.
 *
 * Nulls, chosen consistently with AWS's JSON protocols: a `null` structure member counts as absent
 * (AWS's readers treat an explicit null as an unset member; a required one is then "Member must
 * not be null"), and is deleted from `input` in place so that handlers never meet a null; a `null`
 * or absent body counts as `{}`, as an absent payload does. A `null` list element or map value is
 * refused with the list's or map's constraint "Member must satisfy constraint: [Member must not be
 * null]": Smithy collections are dense, and AWS answers so (recorded against Cognito). On a query
 * protocol model (STS) the body is the form's fields, so numbers and booleans may come as text.
 * Throws when the model has no such operation.
 */
export function validateInput(model: ServiceModel, operation: string, input: unknown): InputProblem | undefined {
  const root = rootNode(model, operation);
  const body = input === undefined || input === null ? EMPTY : input;
  const first = check(root, body, 0, false);
  if (first === undefined) return undefined;
  // A constraint problem was found first in member order; AWS reports any serialization problem
  // of the body instead, so look again for those only. This second walk only runs for bad input.
  const failure = first.kind === SERIALIZATION ? first : (check(root, body, 0, true) ?? first);
  return toProblem(failure);
}
