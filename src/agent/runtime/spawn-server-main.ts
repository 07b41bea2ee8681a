/**
 * The spawn server's process: runs the agent's helper commands (runc, conmon, mount, ip, the CNI
 * plugins) on its requests. It exists because Node forks to spawn, and fork's cost grows with the
 * parent's memory: a small process like this one forks in a fraction of the agent's time, and the
 * agent's event loop never stalls on a fork. It exits when the agent goes (its channel closes).
 */
import { ContainerPaths } from './handle.js';
import { launchConmonHere } from './conmon.js';
import { runChild } from './run-child.js';
import { markAsSpawnServer } from './spawn-server.js';
import type { ServerReply, ServerRequest } from './spawn-protocol.js';

async function answer(req: ServerRequest): Promise<ServerReply> {
  try {
    if (req.kind === 'run') return { id: req.id, ok: true, run: await runChild(req.run) };
    const { root, id, ...launch } = req.launch;
    return { id: req.id, ok: true, pid: await launchConmonHere({ ...launch, paths: new ContainerPaths(root, id) }) };
  } catch (e) {
    const err = e as Error & { kind?: string; code?: string };
    return {
      id: req.id,
      ok: false,
      error: { message: err.message ?? String(e), name: err.name, ...(err.kind && { kind: err.kind }), ...(typeof err.code === 'string' && { code: err.code }) },
    };
  }
}

markAsSpawnServer();
process.on('message', (req: ServerRequest) => {
  void answer(req).then((reply) => process.send?.(reply));
});
process.on('disconnect', () => process.exit(0));
