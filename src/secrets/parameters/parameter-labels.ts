import type { Scope } from '../../lib/scope.js';
import type { Store } from '../../store/store.js';
import { invalidResourceId, tooManyLabels, versionNotFound } from './errors.js';
import { isValidLabel } from './labels.js';
import { MAX_LABELS, type ParameterRecord, type ParameterTag } from './parameter.js';
import { PARAMETERS } from './parameter-values.js';
import { checkTags, type ParameterStore } from './parameter-store.js';

/** Labels on parameter versions, and tags on parameters. */
export class ParameterLabels {
  constructor(
    private readonly store: Store,
    private readonly parameters: ParameterStore,
  ) {}

  /**
   * LabelParameterVersion: attaches labels to a version (the latest by default), moving any of them
   * that another version holds. Invalid labels are left out and returned.
   */
  async label(scope: Scope, name: string, version: number | undefined, labels: readonly string[]) {
    return this.parameters.modify(scope, name, ({ record }) => {
      const target = version ?? record.versions[record.versions.length - 1]!.version;
      const index = record.versions.findIndex((v) => v.version === target);
      if (index < 0) throw versionNotFound(record.name, target);
      const valid = [...new Set(labels.filter(isValidLabel))];
      const invalidLabels = labels.filter((l) => !isValidLabel(l));
      const attached = [...new Set([...record.versions[index]!.labels, ...valid])];
      if (attached.length > MAX_LABELS) {
        throw tooManyLabels('A parameter version can have maximum 10 labels. Move one or more labels to another version and try again.');
      }
      const versions = record.versions.map((v, i) =>
        i === index ? { ...v, labels: attached } : { ...v, labels: v.labels.filter((l) => !valid.includes(l)) },
      );
      return { record: { ...record, versions }, result: { invalidLabels, version: target } };
    });
  }

  /** UnlabelParameterVersion: removes labels from one version; those it does not hold are invalid. */
  async unlabel(scope: Scope, name: string, version: number, labels: readonly string[]) {
    return this.parameters.modify(scope, name, ({ record }) => {
      const index = record.versions.findIndex((v) => v.version === version);
      if (index < 0) throw versionNotFound(record.name, version);
      const held = record.versions[index]!.labels;
      const removedLabels = [...new Set(labels.filter((l) => held.includes(l)))];
      const invalidLabels = [...new Set(labels.filter((l) => !held.includes(l)))];
      const versions = record.versions.map((v, i) => (i === index ? { ...v, labels: held.filter((l) => !labels.includes(l)) } : v));
      return { record: { ...record, versions }, result: { removedLabels, invalidLabels } };
    });
  }

  /** AddTagsToResource on a parameter: adds tags, replacing the values of existing keys. */
  async addTags(scope: Scope, name: string, tags: readonly ParameterTag[]): Promise<void> {
    await this.parameters.modify(
      scope,
      name,
      ({ record }) => ({ record: { ...record, tags: checkTags([...record.tags, ...tags]) }, result: undefined }),
      invalidResourceId,
    );
  }

  /** RemoveTagsFromResource on a parameter. */
  async removeTags(scope: Scope, name: string, keys: readonly string[]): Promise<void> {
    await this.parameters.modify(
      scope,
      name,
      ({ record }) => ({ record: { ...record, tags: record.tags.filter((t) => !keys.includes(t.Key)) }, result: undefined }),
      invalidResourceId,
    );
  }

  /** ListTagsForResource on a parameter. */
  async listTags(scope: Scope, name: string): Promise<ParameterTag[]> {
    const found = await this.parameters.find(this.store.collection<ParameterRecord>(PARAMETERS), scope, name);
    if (!found) throw invalidResourceId();
    return found.record.tags;
  }
}
