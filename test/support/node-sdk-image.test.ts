import { describe, expect, it } from 'vitest';
import { parseLdd } from './node-sdk-image.js';

describe('parseLdd', () => {
  it('lists each library where the loader finds it, and the loader, but not the vDSO', () => {
    const output = [
      '\tlinux-vdso.so.1 (0x00007ffc6a5f1000)',
      '\tlibdl.so.2 => /lib/x86_64-linux-gnu/libdl.so.2 (0x00007f40c2113000)',
      '\tlibstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x00007f40c1e00000)',
      '\t/lib64/ld-linux-x86-64.so.2 (0x00007f40c212c000)',
      '',
    ].join('\n');
    expect(parseLdd(output)).toEqual(['/lib/x86_64-linux-gnu/libdl.so.2', '/lib/x86_64-linux-gnu/libstdc++.so.6', '/lib64/ld-linux-x86-64.so.2']);
  });

  it('refuses a library ldd cannot find', () => {
    expect(() => parseLdd('\tlibc.so.6 => /lib/libc.so.6 (0x1)\n\tlibgone.so.1 => not found\n')).toThrow(/libgone\.so\.1 => not found/);
  });
});
