import { invalidParameter } from '../../lib/errors.js';
import { secretValueNotFound } from './errors.js';
import { Stage, type SecretVersionRecord } from './secret.js';

/**
 * Staging labels, as PutSecretValue and UpdateSecretVersionStage move them. Pure functions over a
 * secret's version list (oldest first); each returns a new list.
 *
 * The rules (Secrets Manager API reference, PutSecretValue and UpdateSecretVersionStage):
 * - a label is attached to at most one version; attaching it elsewhere removes it from its holder;
 * - whenever AWSCURRENT moves, AWSPREVIOUS moves to the version AWSCURRENT was removed from;
 * - the first version of a secret always gets AWSCURRENT;
 * - a version left without labels is deprecated (and may be removed, see {@link pruneVersions}).
 */

const copy = (versions: readonly SecretVersionRecord[]) => versions.map((v) => ({ ...v, stages: [...v.stages] }));

const holderOf = (versions: readonly SecretVersionRecord[], stage: string) => versions.find((v) => v.stages.includes(stage));

function detach(version: SecretVersionRecord, stage: string): void {
  version.stages = version.stages.filter((s) => s !== stage);
}

function attach(version: SecretVersionRecord, stage: string): void {
  if (!version.stages.includes(stage)) version.stages.push(stage);
}

// AWSPREVIOUS follows AWSCURRENT: it leaves whoever held it and goes to the version AWSCURRENT left.
function markPrevious(versions: SecretVersionRecord[], formerCurrent: SecretVersionRecord): void {
  for (const v of versions) if (v !== formerCurrent) detach(v, Stage.Previous);
  attach(formerCurrent, Stage.Previous);
}

/**
 * Appends `added` (a version without labels yet) carrying `requested` labels, by default AWSCURRENT.
 * Returns the new list; the added version is its last element.
 */
export function addVersion(
  versions: readonly SecretVersionRecord[],
  added: SecretVersionRecord,
  requested: readonly string[] | undefined,
): SecretVersionRecord[] {
  const next = copy(versions);
  const stages = [...new Set(requested && requested.length > 0 ? requested : [Stage.Current])];
  if (!holderOf(next, Stage.Current) && !stages.includes(Stage.Current)) stages.push(Stage.Current);
  const version: SecretVersionRecord = { ...added, stages: [] };
  let formerCurrent: SecretVersionRecord | undefined;
  for (const stage of stages) {
    const holder = holderOf(next, stage);
    if (holder) {
      detach(holder, stage);
      if (stage === Stage.Current) formerCurrent = holder;
    }
    attach(version, stage);
  }
  next.push(version);
  if (formerCurrent) {
    markPrevious(next, formerCurrent);
    // A version that becomes current stops being "previous".
    detach(version, Stage.Previous);
  }
  return next;
}

/** Options of UpdateSecretVersionStage. */
export interface StageMove {
  moveToVersionId?: string;
  removeFromVersionId?: string;
}

/** Applies UpdateSecretVersionStage: moves, attaches or removes one label. */
export function moveStage(versions: readonly SecretVersionRecord[], stage: string, move: StageMove): SecretVersionRecord[] {
  const next = copy(versions);
  const find = (id: string) => {
    const v = next.find((x) => x.versionId === id);
    if (!v) throw secretValueNotFound('VersionId', id);
    return v;
  };
  const target = move.moveToVersionId === undefined ? undefined : find(move.moveToVersionId);
  const source = move.removeFromVersionId === undefined ? undefined : find(move.removeFromVersionId);
  if (!target && !source) {
    throw invalidParameter('You must specify MoveToVersionId, RemoveFromVersionId, or both.');
  }
  const holder = holderOf(next, stage);
  if (source && holder !== source) {
    throw invalidParameter(
      `The parameter RemoveFromVersionId doesn't match the version that staging label ${stage} is attached to` +
        (holder ? ` (${holder.versionId}).` : '; the label is not attached to any version.'),
    );
  }
  if (target && holder && holder !== target && !source) {
    // AWS's text, verified for AWSCURRENT; the same rule holds for every label.
    throw invalidParameter(
      `The parameter RemoveFromVersionId can't be empty. Staging label ${stage} is currently attached to version ${holder.versionId}, ` +
        'so you must explicitly reference that version in RemoveFromVersionId.',
    );
  }
  if (!target && stage === Stage.Current) {
    // A secret always has a current version; AWSCURRENT can only be moved, never just removed.
    throw invalidParameter('You can only move the staging label AWSCURRENT to another version, not remove it.');
  }
  if (source) detach(source, stage);
  if (target) attach(target, stage);
  if (stage === Stage.Current && target && source && source !== target) {
    markPrevious(next, source);
    detach(target, Stage.Previous);
  }
  return next;
}

/**
 * Drops the oldest deprecated (unlabeled) versions while there are more than `max`; labeled versions
 * always stay. Returns the kept list and the ids of the dropped versions (whose values must go too).
 */
export function pruneVersions(
  versions: readonly SecretVersionRecord[],
  max: number,
): { kept: SecretVersionRecord[]; dropped: string[] } {
  const kept = [...versions];
  const dropped: string[] = [];
  while (kept.length > max) {
    const index = kept.findIndex((v) => v.stages.length === 0);
    if (index < 0) break;
    dropped.push(kept[index]!.versionId);
    kept.splice(index, 1);
  }
  return { kept, dropped };
}

/** VersionIdsToStages: the versions that have labels. */
export function versionIdsToStages(versions: readonly SecretVersionRecord[]): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  for (const v of versions) if (v.stages.length > 0) map[v.versionId] = [...v.stages];
  return map;
}
