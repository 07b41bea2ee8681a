import { describe, expect, it } from 'vitest';
import { mergeEnv, parseEnvironmentFile, resolveProcess } from './process-config.js';

const image = { Entrypoint: ['/entry'], Cmd: ['serve'], Env: ['PATH=/bin', 'A=image'], WorkingDir: '/app', User: '1000', StopSignal: 'SIGQUIT' };

describe('resolveProcess', () => {
  it('uses the image defaults when the definition sets nothing', () => {
    expect(resolveProcess(image, { name: 'x' }, undefined, [])).toEqual({
      args: ['/entry', 'serve'],
      env: ['PATH=/bin', 'A=image'],
      cwd: '/app',
      user: '1000',
      stopSignal: 'SIGQUIT',
    });
  });

  it('follows Docker: a command replaces Cmd; an entryPoint replaces Entrypoint and drops Cmd', () => {
    expect(resolveProcess(image, { name: 'x', command: ['run'] }, undefined, []).args).toEqual(['/entry', 'run']);
    expect(resolveProcess(image, { name: 'x', entryPoint: ['/bin/sh'] }, undefined, []).args).toEqual(['/bin/sh']);
    expect(resolveProcess(image, { name: 'x', entryPoint: ['/bin/sh', '-c'], command: ['echo hi'] }, undefined, []).args).toEqual(['/bin/sh', '-c', 'echo hi']);
    expect(resolveProcess(image, { name: 'x', command: ['a'] }, { name: 'x', command: ['b'] }, []).args).toEqual(['/entry', 'b']);
  });

  it('layers the environment: image, files, definition, override, injected', () => {
    const env = resolveProcess(
      image,
      { name: 'x', environment: [{ name: 'A', value: 'def' }, { name: 'B', value: 'def' }] },
      { name: 'x', environment: [{ name: 'B', value: 'override' }] },
      ['C=injected'],
      ['A=file', 'D=file'],
    ).env;
    expect(env).toEqual(['PATH=/bin', 'A=def', 'D=file', 'B=override', 'C=injected']);
  });

  it('adds a default PATH when none is set, and defaults cwd and stop signal', () => {
    const p = resolveProcess({}, { name: 'x', command: ['sh'] }, undefined, []);
    expect(p.env[0]).toMatch(/^PATH=/);
    expect(p.cwd).toBe('/');
    expect(p.stopSignal).toBe('SIGTERM');
    expect(p.user).toBeUndefined();
  });
});

describe('environment files and merging', () => {
  it('parses KEY=value lines as the ECS agent does', () => {
    expect(parseEnvironmentFile('# c\nA=1\n\nB=x=y\nnot a pair\nEMPTY=\nA=2\n')).toEqual(['A=2', 'B=x=y']);
  });
  it('lets the first file set a variable, and the definition win over files', () => {
    const env = resolveProcess({}, { name: 'x', environment: [{ name: 'D', value: 'def' }] }, undefined, [], ['A=first', 'A=second', 'D=file']);
    expect(env.env).toContain('A=first');
    expect(env.env).toContain('D=def');
  });
  it('keeps the last value per key', () => {
    expect(mergeEnv(['A=1', 'B=1'], ['A=2'])).toEqual(['A=2', 'B=1']);
  });
});
