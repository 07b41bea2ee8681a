/**
 * A container image that runs a real AWS SDK for JavaScript v3 program (node-sdk-program.ts):
 * the host's own `node` binary with the shared libraries it links and the dynamic loader (no
 * distribution, no package manager), and the program bundled by esbuild into one CommonJS file.
 *
 *   const ref = await pushNodeSdkImage(registry.host);          // `${host}/node-sdk:latest`
 *   containerDefinitions: [{ name: 'app', image: ref, command: nodeSdkCommand('probe') }]
 *
 * The image has two layers, the runtime (~100 MB, the node binary) below the program, so pushing
 * it again after a change of the program uploads only the small top layer. The runtime layer is an
 * uncompressed tar (a media type every registry and minato's puller take): gzip would take ~8 s
 * of CPU per build for a push over loopback that does not need it.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildImage, pushImageLayout, type BuiltImage, type FileSpec } from './oci-image.js';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(here, '../..');

/** Where the bundled program sits in the image. */
export const NODE_SDK_PROGRAM = '/app/program.cjs';
/** Where the node binary sits in the image. */
export const NODE_SDK_NODE = '/usr/local/bin/node';

/** The command of a container running the program in one of its modes (see node-sdk-program.ts). */
export const nodeSdkCommand = (mode: 'probe' | 'rotate'): string[] => [NODE_SDK_NODE, NODE_SDK_PROGRAM, mode];

/**
 * The files `ldd` names for a binary: each shared library and the dynamic loader, at the path the
 * loader looks for it (symlinks are copied as the file they resolve to). The vDSO has no file; a
 * library ldd cannot find is an error.
 */
export function parseLdd(output: string): string[] {
  const paths: string[] = [];
  for (const line of output.split('\n')) {
    // An image without it could not start: better to fail the build and say why.
    if (/=>\s*not found/.test(line)) throw new Error(`ldd cannot find a library: ${line.trim()}`);
    const match = /=>\s*(\/\S+)\s*\(/.exec(line) ?? /^\s*(\/\S+)\s*\(/.exec(line);
    if (match) paths.push(match[1]!);
  }
  return paths;
}

let bundled: Promise<Buffer> | undefined;

/**
 * The program bundled with the SDK clients into one file for Node on Linux; built once per process
 * (esbuild, in a temp dir removed right after) and kept in memory.
 */
export function nodeSdkBundle(): Promise<Buffer> {
  bundled ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'minato-node-sdk-'));
    try {
      const outfile = join(dir, 'program.cjs');
      await run(
        join(ROOT, 'node_modules', '.bin', 'esbuild'),
        [join(here, 'node-sdk-program.ts'), '--bundle', '--platform=node', '--format=cjs', '--target=node20', '--log-level=warning', `--outfile=${outfile}`],
        { cwd: ROOT, timeout: 60_000 },
      );
      return await readFile(outfile);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  })();
  return bundled;
}

/** The runtime layer's files: `node` and what `ldd` lists for it, plus the minimal /etc a process expects. */
async function runtimeFiles(): Promise<Record<string, FileSpec>> {
  const { stdout } = await run('ldd', [process.execPath], { timeout: 10_000 });
  const files: Record<string, FileSpec> = {
    [NODE_SDK_NODE]: { source: process.execPath, mode: 0o755 },
    '/etc/passwd': 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n',
    '/etc/group': 'root:x:0:\nnogroup:x:65534:\n',
    '/root': { dir: true, mode: 0o700 },
    '/tmp': { dir: true, mode: 0o1777 },
  };
  for (const path of parseLdd(stdout)) files[path] = { source: path, mode: 0o755 };
  return files;
}

/**
 * Builds the image into an OCI layout directory (a temp dir unless `dir` is given). The layers
 * are built in memory (oci-image.ts reads each file whole), about 100 MB for the runtime.
 */
export async function buildNodeSdkImage(options: { dir?: string } = {}): Promise<BuiltImage> {
  const [runtime, program] = await Promise.all([runtimeFiles(), nodeSdkBundle()]);
  return buildImage({
    ...(options.dir && { dir: options.dir }),
    layers: [{ files: runtime, compression: 'none' }, { files: { [NODE_SDK_PROGRAM]: { content: program, mode: 0o644 } } }],
    config: {
      Env: ['PATH=/usr/local/bin:/usr/bin:/bin', 'HOME=/root'],
      Cmd: nodeSdkCommand('probe'),
      WorkingDir: '/app',
    },
  });
}

/** Builds the image, pushes it to `host/repository`, removes the layout and returns the reference. */
export async function pushNodeSdkImage(host: string, repository = 'node-sdk:latest'): Promise<string> {
  const image = await buildNodeSdkImage();
  try {
    const ref = `${host}/${repository}`;
    await pushImageLayout(image.dir, ref);
    return ref;
  } finally {
    await image.cleanup();
  }
}
