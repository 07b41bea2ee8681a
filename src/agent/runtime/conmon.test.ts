import { describe, expect, it } from 'vitest';
import { conmonArgs, runcMessage } from './conmon.js';
import { ContainerPaths } from './handle.js';

describe('conmonArgs', () => {
  it('passes the container, runtime, files and runc root as podman does', () => {
    const paths = new ContainerPaths('/state', 'c1');
    const args = conmonArgs({
      conmonPath: '/usr/bin/conmon',
      runcPath: '/usr/sbin/runc',
      runcRoot: '/state/runc',
      paths,
      logPath: '/logs/c1.log',
      exitDir: '/state/exits',
    });
    const value = (flag: string) => args[args.indexOf(flag) + 1];
    expect(value('--api-version')).toBe('1');
    expect(value('-c')).toBe('c1');
    expect(value('-r')).toBe('/usr/sbin/runc');
    expect(value('-b')).toBe('/state/containers/c1/bundle');
    expect(value('-p')).toBe('/state/containers/c1/bundle/pidfile');
    expect(value('--exit-dir')).toBe('/state/exits');
    expect(value('--persist-dir')).toBe('/state/containers/c1/persist');
    expect(value('-l')).toBe('k8s-file:/logs/c1.log');
    expect(value('--conmon-pidfile')).toBe('/state/containers/c1/conmon.pid');
    // runc's global --root reaches runc before its subcommand.
    expect(args.join(' ')).toContain('--runtime-arg --root --runtime-arg /state/runc');
    expect(args).toContain('--full-attach');
    expect(args).not.toContain('--sync');
  });
});

describe('runcMessage', () => {
  it('takes the message out of a runc log line', () => {
    const line = 'time="2024-01-01T00:00:00Z" level=error msg="runc create failed: exec: \\"/x\\": stat /x: no such file"';
    expect(runcMessage(line)).toBe('runc create failed: exec: "/x": stat /x: no such file');
    expect(runcMessage(' plain text \n')).toBe('plain text');
  });
});
