import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The static busybox the test images are made of (Debian's busybox-static). */
export const BUSYBOX = '/bin/busybox';

/** A one-layer image made of busybox: its applets as symlinks, a passwd with root and `app` (1000). */
export interface BusyboxLayer {
  dir: string;
  cleanup(): void;
}

/** Writes the layer into a fresh temp directory. */
export function makeBusyboxLayer(): BusyboxLayer {
  const dir = mkdtempSync(join(tmpdir(), 'minato-layer-'));
  for (const d of ['bin', 'etc', 'tmp', 'root', 'home/app', 'srv']) mkdirSync(join(dir, d), { recursive: true });
  copyFileSync(BUSYBOX, join(dir, 'bin', 'busybox'));
  const applets = execFileSync(BUSYBOX, ['--list'], { encoding: 'utf8' }).split('\n').filter((a) => /^[a-z0-9_.[-]+$/.test(a));
  for (const a of applets) if (a !== 'busybox') symlinkSync('busybox', join(dir, 'bin', a));
  writeFileSync(
    join(dir, 'etc', 'passwd'),
    'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n',
  );
  writeFileSync(join(dir, 'etc', 'group'), 'root:x:0:\napp:x:1000:\nextra:x:2000:app\nnogroup:x:65534:\n');
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
