import { describe, expect, it } from 'vitest';
import { configProblem, DEFAULT_CONFIG, extraRegionsConfig } from './config.js';
import { resolveConfig } from './up.js';

describe('--extra-regions', () => {
  it('reads comma-separated names from the flag, else MINATO_EXTRA_REGIONS', () => {
    expect(extraRegionsConfig(' xx-fake-9, local-1 ,', {})).toEqual(['xx-fake-9', 'local-1']);
    expect(extraRegionsConfig(undefined, { MINATO_EXTRA_REGIONS: 'lab-1' })).toEqual(['lab-1']);
    expect(extraRegionsConfig('lab-2', { MINATO_EXTRA_REGIONS: 'lab-1' })).toEqual(['lab-2']);
    expect(extraRegionsConfig(undefined, {})).toBeUndefined();
    expect(extraRegionsConfig(' , ', {})).toBeUndefined();
    expect(resolveConfig({ extraRegions: 'lab-1' }, {}).extraRegions).toEqual(['lab-1']);
    expect(resolveConfig({}, {})).not.toHaveProperty('extraRegions');
  });

  it('refuses names AWS could never use', () => {
    expect(configProblem({ ...DEFAULT_CONFIG, extraRegions: ['lab-1'] })).toBeUndefined();
    expect(configProblem({ ...DEFAULT_CONFIG, extraRegions: ['Lab 1'] })).toContain('"Lab 1"');
    expect(configProblem({ ...DEFAULT_CONFIG, extraRegions: ['a/b'] })).toContain('"a/b"');
  });
});
