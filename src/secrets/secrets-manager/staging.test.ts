import { describe, expect, it } from 'vitest';
import { Stage, type SecretVersionRecord } from './secret.js';
import { addVersion, moveStage, pruneVersions, versionIdsToStages } from './staging.js';

const v = (versionId: string, stages: string[] = []): SecretVersionRecord => ({ versionId, stages, createdDate: 0 });
const stagesOf = (versions: SecretVersionRecord[]) => versionIdsToStages(versions);

describe('addVersion', () => {
  it('makes the first version AWSCURRENT, even when other labels are asked for', () => {
    expect(stagesOf(addVersion([], v('a'), undefined))).toEqual({ a: ['AWSCURRENT'] });
    expect(stagesOf(addVersion([], v('a'), ['AWSPENDING']))).toEqual({ a: ['AWSPENDING', 'AWSCURRENT'] });
  });

  it('moves AWSCURRENT to the new version and AWSPREVIOUS to the one it left', () => {
    let versions = addVersion([], v('a'), undefined);
    versions = addVersion(versions, v('b'), undefined);
    expect(stagesOf(versions)).toEqual({ a: ['AWSPREVIOUS'], b: ['AWSCURRENT'] });
    versions = addVersion(versions, v('c'), undefined);
    // "a" lost its last label: it is deprecated, no longer listed.
    expect(stagesOf(versions)).toEqual({ b: ['AWSPREVIOUS'], c: ['AWSCURRENT'] });
    expect(versions.map((x) => x.versionId)).toEqual(['a', 'b', 'c']);
  });

  it('leaves AWSCURRENT where it is when other labels are asked for', () => {
    let versions = addVersion([], v('a'), undefined);
    versions = addVersion(versions, v('b'), ['AWSPENDING', 'custom']);
    expect(stagesOf(versions)).toEqual({ a: ['AWSCURRENT'], b: ['AWSPENDING', 'custom'] });
    // A label is held by one version only: asking for it elsewhere moves it.
    versions = addVersion(versions, v('c'), ['custom']);
    expect(stagesOf(versions)).toEqual({ a: ['AWSCURRENT'], b: ['AWSPENDING'], c: ['custom'] });
  });
});

describe('moveStage', () => {
  const base = () => addVersion(addVersion([], v('old'), undefined), v('new'), ['AWSPENDING']);

  it('moves AWSCURRENT with RemoveFromVersionId, and AWSPREVIOUS follows (AWS-verified sequence)', () => {
    const moved = moveStage(base(), Stage.Current, { moveToVersionId: 'new', removeFromVersionId: 'old' });
    expect(stagesOf(moved)).toEqual({ old: ['AWSPREVIOUS'], new: ['AWSPENDING', 'AWSCURRENT'] });
  });

  it('requires RemoveFromVersionId when the label is attached elsewhere, with AWS text', () => {
    expect(() => moveStage(base(), Stage.Current, { moveToVersionId: 'new' })).toThrow(
      "The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT is currently attached to version old, " +
        'so you must explicitly reference that version in RemoveFromVersionId.',
    );
  });

  it('attaches a free label, removes a label, and refuses to remove AWSCURRENT or a label not held', () => {
    const tagged = moveStage(base(), 'blue', { moveToVersionId: 'old' });
    expect(stagesOf(tagged).old).toEqual(['AWSCURRENT', 'blue']);
    expect(stagesOf(moveStage(tagged, 'blue', { removeFromVersionId: 'old' })).old).toEqual(['AWSCURRENT']);
    expect(() => moveStage(base(), Stage.Current, { removeFromVersionId: 'old' })).toThrow(/only move the staging label AWSCURRENT/);
    expect(() => moveStage(base(), 'blue', { removeFromVersionId: 'old' })).toThrow(/doesn't match/);
    expect(() => moveStage(base(), 'blue', {})).toThrow(/MoveToVersionId/);
    expect(() => moveStage(base(), 'blue', { moveToVersionId: 'nope' })).toThrow(/VersionId: nope/);
  });
});

describe('pruneVersions', () => {
  it('drops the oldest unlabeled versions past the limit and never a labeled one', () => {
    const versions = [v('1'), v('2', ['keep']), v('3'), v('4'), v('5', ['AWSCURRENT'])];
    expect(pruneVersions(versions, 3)).toEqual({ kept: [v('2', ['keep']), v('4'), v('5', ['AWSCURRENT'])], dropped: ['1', '3'] });
    const labeled = [v('1', ['x']), v('2', ['y'])];
    expect(pruneVersions(labeled, 1)).toEqual({ kept: labeled, dropped: [] });
  });
});
