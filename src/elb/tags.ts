import type { Scope } from '../lib/scope.js';
import { getRecord, mergeTags, putRecord, type ElbContext } from './context.js';
import { validation } from './errors.js';
import { resourceKind } from './names.js';
import type { Tag } from './records.js';

/** AddTags, RemoveTags and DescribeTags over load balancers, target groups, listeners and rules. */
export function tagOperations(ctx: ElbContext) {
  const store = ctx.deps.store;
  const kindOf = (arn: string) => {
    const kind = resourceKind(arn);
    if (!kind) throw validation(`'${arn}' is not a valid resource ARN`);
    return kind;
  };
  return {
    async add(scope: Scope, arns: string[], tags: Tag[]): Promise<void> {
      await store.transaction(async (tx) => {
        for (const arn of arns) {
          const kind = kindOf(arn);
          const record = await getRecord(tx, scope, kind, arn);
          record.tags = mergeTags(record.tags, tags);
          await putRecord(tx, kind, record);
        }
      });
    },

    async remove(scope: Scope, arns: string[], keys: string[]): Promise<void> {
      await store.transaction(async (tx) => {
        for (const arn of arns) {
          const kind = kindOf(arn);
          const record = await getRecord(tx, scope, kind, arn);
          record.tags = record.tags.filter((t) => !keys.includes(t.Key));
          await putRecord(tx, kind, record);
        }
      });
    },

    async describe(scope: Scope, arns: string[]): Promise<Array<{ arn: string; tags: Tag[] }>> {
      const out: Array<{ arn: string; tags: Tag[] }> = [];
      for (const arn of arns) out.push({ arn, tags: (await getRecord(store, scope, kindOf(arn), arn)).tags });
      return out;
    },
  };
}
