import { decodeToken, pageOf, type Page } from '../lib/pagination.js';
import type { Scope } from '../lib/scope.js';
import type { Store, Transaction } from '../store/store.js';
import { invalidInput, operationNotFound } from './errors.js';
import { Collections, newOperationId, regionKey, type OperationRecord, type OperationType } from './records.js';

/** A filter of ListOperations, as the request carries it. */
export interface OperationFilter {
  Name: 'NAMESPACE_ID' | 'SERVICE_ID' | 'STATUS' | 'TYPE' | 'UPDATE_DATE';
  Values: readonly string[];
  Condition?: 'EQ' | 'IN' | 'BETWEEN' | 'BEGINS_WITH';
}

/**
 * Cloud Map's asynchronous operations. minato applies each change within the request's
 * transaction, so an operation is recorded already finished (SUCCESS), with the dates of the
 * request; GetOperation and ListOperations then answer as AWS does once the work is done.
 */
export class Operations {
  constructor(private readonly store: Store) {}

  /** Records a finished operation inside the caller's transaction; returns its id. */
  async record(tx: Transaction, scope: Scope, type: OperationType, targets: OperationRecord['targets']): Promise<string> {
    const id = newOperationId();
    const now = scope.now.getTime();
    const op: OperationRecord = { id, accountId: scope.accountId, region: scope.region, type, status: 'SUCCESS', targets, createDate: now, updateDate: now };
    await tx.collection<OperationRecord>(Collections.operations).put(regionKey(scope.region, id), op);
    return id;
  }

  /** An operation of the caller's account; another owner's (a shared namespace's) is never found: nothing is shared here. */
  async get(scope: Scope, id: string, ownerAccount?: string): Promise<OperationRecord> {
    if (ownerAccount !== undefined && ownerAccount !== scope.accountId) throw operationNotFound(id);
    const op = await this.store.collection<OperationRecord>(Collections.operations).get(regionKey(scope.region, id));
    if (!op) throw operationNotFound(id);
    return op;
  }

  /** The region's operations, filtered, in id order (AWS gives no order). */
  async list(scope: Scope, filters: readonly OperationFilter[], max: number, nextToken?: string): Promise<Page<OperationRecord>> {
    const matches = filters.map(operationPredicate);
    const listing = `sd-operations/${scope.region}`;
    let after = decodeToken(listing, nextToken);
    const found: Array<{ key: string; value: OperationRecord }> = [];
    // Filtered listing: read in chunks until a page and one more are found.
    for (;;) {
      const rows = await this.store
        .collection<OperationRecord>(Collections.operations)
        .list({ prefix: `${scope.region}/`, ...(after !== undefined && { after }), limit: 500 });
      for (const row of rows) if (matches.every((m) => m(row.value))) found.push(row);
      if (rows.length < 500 || found.length > max) break;
      after = rows[rows.length - 1]!.key;
    }
    return pageOf(listing, found.slice(0, max + 1), max);
  }
}

/** One ListOperations filter as a predicate, with Cloud Map's rules on conditions per name. */
export function operationPredicate(f: OperationFilter): (op: OperationRecord) => boolean {
  const condition = f.Condition ?? 'EQ';
  if (f.Name === 'UPDATE_DATE') {
    if (condition !== 'BETWEEN' || f.Values.length !== 2) throw invalidInput('The UPDATE_DATE filter takes the BETWEEN condition and two values.');
    const [from, to] = f.Values.map((v) => Number(v) * 1000) as [number, number];
    if (!Number.isFinite(from) || !Number.isFinite(to)) throw invalidInput('UPDATE_DATE values are timestamps in epoch seconds.');
    return (op) => op.updateDate >= from && op.updateDate <= to;
  }
  if (condition !== 'EQ' && condition !== 'IN') throw invalidInput(`The ${f.Name} filter takes the EQ or IN condition.`);
  if (condition === 'EQ' && f.Values.length !== 1) throw invalidInput('The EQ condition takes exactly one value.');
  const values = new Set(f.Values);
  const field = (op: OperationRecord): string | undefined =>
    f.Name === 'NAMESPACE_ID' ? op.targets.NAMESPACE : f.Name === 'SERVICE_ID' ? op.targets.SERVICE : f.Name === 'STATUS' ? op.status : op.type;
  return (op) => {
    const v = field(op);
    return v !== undefined && values.has(v);
  };
}
