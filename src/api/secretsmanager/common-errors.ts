import type { OperationModel, ServiceModel } from '../../aws-model/service-model.js';

/**
 * A copy of `model` in which every operation also lists `names`. AWS documents a few "common errors"
 * that any action of an API may answer with (ValidationException for malformed input the model does
 * not describe, AccessDeniedException), but the models list them on few operations or none; without
 * them the dispatcher would replace those names with the API's generic exception.
 */
export function withCommonErrors(model: ServiceModel, names: readonly string[]): ServiceModel {
  const operations: Record<string, OperationModel> = {};
  for (const [name, op] of Object.entries(model.operations)) {
    const listed = new Set((op.errors ?? []).map((e) => e.shape));
    operations[name] = { ...op, errors: [...(op.errors ?? []), ...names.filter((n) => !listed.has(n)).map((shape) => ({ shape }))] };
  }
  return { ...model, operations };
}
