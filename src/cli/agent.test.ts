import { describe, expect, it } from 'vitest';
import { parseAttribute } from './agent.js';

describe('parseAttribute', () => {
  it('reads k=v and valueless k, keeping "=" inside values', () => {
    expect(parseAttribute('stack=prod')).toEqual({ name: 'stack', value: 'prod' });
    expect(parseAttribute('gpu')).toEqual({ name: 'gpu' });
    expect(parseAttribute('expr=a=b')).toEqual({ name: 'expr', value: 'a=b' });
    expect(parseAttribute('empty=')).toEqual({ name: 'empty', value: '' });
  });

  it('refuses names ECS would not accept', () => {
    expect(() => parseAttribute('has space=x')).toThrow(/invalid attribute name/);
    expect(() => parseAttribute('=x')).toThrow(/invalid attribute name/);
  });
});
