import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientException, RegisterTaskDefinitionCommand, StopTaskCommand, type ECSClient, type Task } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { buildImage, pushImageLayout } from '../support/oci-image.js';
import { usePlatform } from '../support/platform.js';
import { checks, freePort, guards, registerAndRun, runProbes, script, taskLogs } from './probe-task.js';
import { isRunning, isStopped, startImageFixture, waitForTask, type ImageFixture } from './task-fixture.js';

const env = usePlatform();
const C = 'semantics';
const MIB = 1024 * 1024;
let ecs: ECSClient;
let fixture: ImageFixture;
/** The fixture's busybox: Cmd `sh`, no Entrypoint, users root and nobody. */
let base: string;
/** An image with its own Entrypoint, Cmd, Env, WorkingDir, User (a name of its passwd) and StopSignal. */
let configured: string;
let scratch: string;

beforeAll(async () => {
  ecs = env.ecs();
  fixture = await startImageFixture();
  base = fixture.image;
  const built = await buildImage({
    busybox: true,
    files: {
      '/etc/passwd': 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\napp:x:1000:1000:app:/home/app:/bin/sh\n',
      '/etc/group': 'root:x:0:\nnogroup:x:65534:\napp:x:1000:\nextra:x:2000:app\n',
      '/home/app': { dir: true, uid: 1000, gid: 1000 },
      '/srv/marker': 'srv\n',
    },
    config: {
      Entrypoint: ['sh', '-c'],
      Cmd: ['exit 11'],
      Env: ['PATH=/bin:/usr/bin', 'FROM_IMAGE=image', 'SHARED=image'],
      WorkingDir: '/srv',
      User: 'app',
      StopSignal: 'SIGUSR1',
    },
  });
  configured = `${fixture.registry.host}/configured:1`;
  await pushImageLayout(built.dir, configured);
  await built.cleanup();
  scratch = await mkdtemp(join(tmpdir(), 'minato-semantics-'));
});
afterAll(async () => {
  await fixture?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const logs = (task: Task) => taskLogs(env.platform().config.dataDir, task);
const taskIdOf = (task: Task) => task.taskArn!.split('/').pop()!;

describe.concurrent('container definition semantics with real containers', () => {
  it('resolves the process from the image config, entryPoint, command and the definition as Docker does', async ({ expect }) => {
    const { exitCodes, task } = await runProbes(ecs, C, 'process', base, [
      // Image Entrypoint `sh -c` + image Cmd `exit 11`.
      { name: 'defaults', image: configured },
      // command replaces Cmd only; the image's WorkingDir, User (with its groups and home) and Env apply.
      {
        name: 'command',
        image: configured,
        command: [
          script(
            12,
            'test "$(pwd)" = /srv',
            'test "$(id -u):$(id -g)" = 1000:1000',
            'id -G | grep -qw 2000',
            'test "$HOME" = /home/app',
            'test "$FROM_IMAGE:$SHARED" = image:image',
          ),
        ],
      },
      // An entryPoint drops the image's Cmd: $# counts the arguments after $0.
      { name: 'entrypoint', image: configured, entryPoint: ['sh', '-c', 'exit $((20 + $#))', 'zero'] },
      // entryPoint and command: the command's words follow the entryPoint's.
      { name: 'both', image: configured, entryPoint: ['sh', '-c', 'exit $(($1 + $2))', 'zero'], command: ['10', '4'] },
      // The definition's environment, workingDirectory and user win over the image's.
      {
        name: 'definition',
        image: configured,
        command: [
          script(
            15,
            'test "$SHARED" = def',
            'test "$FROM_IMAGE" = image',
            'test "$DEF_ONLY" = def',
            'test "$(pwd)" = /var',
            'test "$(id -u):$(id -g)" = 0:0',
            'test "$HOME" = /root',
          ),
        ],
        environment: [
          { name: 'SHARED', value: 'def' },
          { name: 'DEF_ONLY', value: 'def' },
        ],
        workingDirectory: '/var',
        user: '0',
      },
    ]);
    expect(exitCodes, await logs(task)).toEqual({ defaults: 11, command: 12, entrypoint: 20, both: 14, definition: 15 });
  });

  it('runs as the user given by uid, uid:gid, a name and name:group of the image', async ({ expect }) => {
    const { exitCodes, task } = await runProbes(ecs, C, 'users', base, [
      // A uid without a passwd entry gets group 0 and HOME /, as in Docker.
      { name: 'uid', image: base, user: '1000', command: checks(42, 'test "$(id -u):$(id -g)" = 1000:0', 'test "$HOME" = /') },
      { name: 'uidgid', image: base, user: '1000:1000', command: checks(43, 'test "$(id -u):$(id -g)" = 1000:1000') },
      { name: 'name', image: base, user: 'nobody', command: checks(44, 'test "$(id -u):$(id -g)" = 65534:65534', 'test "$HOME" = /nonexistent') },
      { name: 'namegroup', image: base, user: 'nobody:root', command: checks(45, 'test "$(id -u):$(id -g)" = 65534:0') },
      { name: 'root', image: base, command: checks(46, 'test "$(id -u):$(id -g)" = 0:0', 'test "$HOME" = /root') },
    ]);
    expect(exitCodes, await logs(task)).toEqual({ uid: 42, uidgid: 43, name: 44, namegroup: 45, root: 46 });
  });

  it('applies workingDirectory, readonlyRootFilesystem, ulimits and initProcessEnabled', async ({ expect }) => {
    const { exitCodes, task } = await runProbes(
      ecs,
      C,
      'runtime-options',
      base,
      [
        { name: 'workdir', image: base, workingDirectory: '/www', command: checks(50, 'test "$(pwd)" = /www', 'test -f index.html') },
        // Docker creates a working directory the image lacks.
        { name: 'newdir', image: base, workingDirectory: '/made/for/me', command: checks(51, 'test "$(pwd)" = /made/for/me') },
        // A read-only root has no writable /tmp either (Docker adds no tmpfs); volumes stay writable.
        {
          name: 'readonly',
          image: base,
          readonlyRootFilesystem: true,
          mountPoints: [{ sourceVolume: 'scratch', containerPath: '/scratch' }],
          command: checks(52, '! touch /x 2>/dev/null', '! touch /tmp/x 2>/dev/null', 'touch /scratch/x'),
        },
        { name: 'writable', image: base, command: checks(53, 'touch /x', 'touch /tmp/x') },
        {
          name: 'ulimits',
          image: base,
          ulimits: [
            { name: 'nofile', softLimit: 1024, hardLimit: 2048 },
            { name: 'nproc', softLimit: 300, hardLimit: 400 },
          ],
          command: checks(54, 'test "$(ulimit -n)" = 1024', 'test "$(ulimit -Hn)" = 2048', 'test "$(ulimit -u)" = 300', 'test "$(ulimit -Hu)" = 400'),
        },
        // With an init, PID 1 is the init and the app is its child; without, the app is PID 1.
        {
          name: 'init',
          image: base,
          linuxParameters: { initProcessEnabled: true },
          command: checks(55, 'test $$ -ne 1', 'test "$(tr "\\0" " " </proc/1/cmdline)" != "$(tr "\\0" " " </proc/$$/cmdline)"'),
        },
        { name: 'noinit', image: base, command: checks(56, 'test $$ -eq 1') },
      ],
      { definition: { volumes: [{ name: 'scratch' }] } },
    );
    expect(exitCodes, await logs(task)).toEqual({ workdir: 50, newdir: 51, readonly: 52, writable: 53, ulimits: 54, init: 55, noinit: 56 });
  });

  it('layers the environment: image Env, environmentFiles, environment, then containerOverrides', async ({ expect }) => {
    const first = join(scratch, 'first.env');
    const second = join(scratch, 'second.env');
    // ECS reads files top down and keeps the first value of a variable; within one file the last
    // line wins; comment lines and lines with an empty key or value are skipped.
    await writeFile(first, '# comment\nFILE_A=a\nIN_BOTH=first\nSHARED=file\nEMPTY=\nDUP=one\nDUP=two\nWITH_EQ=x=y\n');
    await writeFile(second, 'FILE_B=b\nIN_BOTH=second\n');
    const { exitCodes, task } = await runProbes(
      ecs,
      C,
      'environment',
      base,
      [
        {
          name: 'env',
          image: configured,
          command: ['exit 1'],
          environment: [
            { name: 'SHARED', value: 'def' },
            { name: 'FROM_DEF', value: 'def' },
            { name: 'OVERRIDDEN', value: 'def' },
          ],
          environmentFiles: [
            { type: 's3', value: first },
            { type: 's3', value: second },
          ],
        },
      ],
      {
        run: {
          overrides: {
            containerOverrides: [
              {
                name: 'env',
                command: [
                  script(
                    60,
                    'test "$FROM_IMAGE" = image',
                    'test "$SHARED" = def',
                    'test "$FROM_DEF" = def',
                    'test "$FILE_A:$FILE_B" = a:b',
                    'test "$IN_BOTH" = first',
                    'test "$DUP" = two',
                    'test "$WITH_EQ" = x=y',
                    'test -z "${EMPTY+set}"',
                    'test "$OVERRIDDEN:$FROM_OVERRIDE" = override:override',
                    'test "$AWS_EXECUTION_ENV" = AWS_ECS_FARGATE',
                    'test -n "$ECS_CONTAINER_METADATA_URI_V4"',
                  ),
                ],
                environment: [
                  { name: 'OVERRIDDEN', value: 'override' },
                  { name: 'FROM_OVERRIDE', value: 'override' },
                ],
              },
            ],
          },
        },
      },
    );
    expect(exitCodes, await logs(task)).toEqual({ env: 60 });
  });

  it('shares an ephemeral volume between two running containers, honours readOnly, and removes it after the task', async ({ expect }) => {
    const mount = (readOnly = false) => [{ sourceVolume: 'shared', containerPath: '/data', readOnly }];
    // The writer waits for the reader's answer, so both run at the same time (bounded polls).
    const waitFor = (file: string) => `i=0; while [ ! -f ${file} ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; test -f ${file}`;
    const { exitCodes, task } = await runProbes(
      ecs,
      C,
      'volumes',
      base,
      [
        { name: 'writer', image: base, mountPoints: mount(), command: checks(70, 'echo hi > /data/ping', waitFor('/data/pong')) },
        { name: 'reader', image: base, mountPoints: mount(), command: checks(71, waitFor('/data/ping'), 'test "$(cat /data/ping)" = hi', 'touch /data/pong') },
        { name: 'viewer', image: base, mountPoints: mount(true), command: checks(72, waitFor('/data/ping'), '! touch /data/nope 2>/dev/null') },
      ],
      { definition: { volumes: [{ name: 'shared' }] } },
    );
    expect(exitCodes, await logs(task)).toEqual({ writer: 70, reader: 71, viewer: 72 });
    expect(existsSync(join(env.platform().config.dataDir, 'tasks', taskIdOf(task), 'volumes'))).toBe(false);
  });

  it('serves /stats on the task metadata endpoint with the container memory usage', async ({ expect }) => {
    const { exitCodes, task } = await runProbes(ecs, C, 'stats', base, [
      {
        name: 'stats',
        image: base,
        // Until the agent has seen the container start, /stats answers null; the probe first
        // waits (bounded) for its container document to say RUNNING.
        command: checks(
          75,
          `i=0; until wget -qO- "$ECS_CONTAINER_METADATA_URI_V4" | grep -q '"KnownStatus":"RUNNING"' || [ $i -ge 50 ]; do sleep 0.1; i=$((i+1)); done`,
          'wget -qO /tmp/stats "$ECS_CONTAINER_METADATA_URI_V4/stats"',
          `grep -q '"name":"stats"' /tmp/stats`,
          `sed 's/.*"memory_stats"://' /tmp/stats | grep -q '^{"usage":[1-9]'`,
        ),
      },
    ]);
    expect(exitCodes, await logs(task)).toEqual({ stats: 75 });
  });

  it('rejects hostname and extraHosts with awsvpc, and host volumes on Fargate, at registration', async ({ expect }) => {
    const register = (extra: object) =>
      ecs.send(new RegisterTaskDefinitionCommand({ family: 'vpc-names', networkMode: 'awsvpc', containerDefinitions: [{ name: 'a', image: base, memory: 64, ...extra }] }));
    await expect(register({ hostname: 'box' })).rejects.toThrow(ClientException);
    await expect(register({ hostname: 'box' })).rejects.toThrow('hostname is not supported on container when networkMode=awsvpc.');
    await expect(register({ extraHosts: [{ hostname: 'db', ipAddress: '10.0.0.1' }] })).rejects.toThrow(ClientException);
    await expect(
      ecs.send(
        new RegisterTaskDefinitionCommand({
          family: 'fargate-host-volume',
          networkMode: 'awsvpc',
          requiresCompatibilities: ['FARGATE'],
          cpu: '256',
          memory: '512',
          volumes: [{ name: 'host', host: { sourcePath: '/srv' } }],
          containerDefinitions: [{ name: 'a', image: base }],
        }),
      ),
    ).rejects.toThrow('Fargate compatible task definitions do not support sourcePath');
    // The same containers register in bridge mode.
    await expect(
      ecs.send(new RegisterTaskDefinitionCommand({ family: 'bridge-names', networkMode: 'bridge', containerDefinitions: [{ name: 'a', image: base, memory: 64, hostname: 'box', extraHosts: [{ hostname: 'db', ipAddress: '10.0.0.1' }] }] })),
    ).resolves.toBeDefined();
  });

  it('runs a bridge-mode EC2 task with hostname, extraHosts, a host volume and a published host port', async ({ expect }) => {
    const hostDir = join(scratch, 'host-volume');
    await rm(hostDir, { recursive: true, force: true });
    const port = await freePort();
    const started = await registerAndRun(ecs, C, {
      family: 'bridge',
      networkMode: 'bridge',
      requiresCompatibilities: ['EC2'],
      volumes: [{ name: 'host', host: { sourcePath: hostDir } }],
      containerDefinitions: [
        {
          name: 'web',
          image: base,
          memory: 64,
          hostname: 'web-host',
          extraHosts: [{ hostname: 'db.internal', ipAddress: '10.1.2.3' }],
          portMappings: [{ containerPort: 8080, hostPort: port }],
          mountPoints: [{ sourceVolume: 'host', containerPath: '/host' }],
          stopTimeout: 5,
          command: [
            'sh',
            '-c',
            [
              'test "$(hostname)" = web-host || exit 1',
              'grep -Eq "^10\\.1\\.2\\.3[[:space:]]+db\\.internal$" /etc/hosts || exit 2',
              'echo from-container > /host/written || exit 3',
              'trap "exit 90" TERM',
              'httpd -f -p 8080 -h /www & wait',
            ].join('\n'),
          ],
        },
      ],
    });
    const arn = started.taskArn!;
    const running = await waitForTask(ecs, C, arn, (t) => isRunning(t) || isStopped(t));
    expect(running.lastStatus, await logs(running)).toBe('RUNNING');
    const web = running.containers?.find((c) => c.name === 'web');
    expect(web?.networkBindings).toEqual([{ bindIP: '127.0.0.1', containerPort: 8080, hostPort: port, protocol: 'tcp' }]);
    // RUNNING means the process started; httpd listens a moment later on a busy machine.
    expect(await fetchWhenListening(`http://127.0.0.1:${port}/index.html`)).toBe('hello from a task\n');
    expect(await readFile(join(hostDir, 'written'), 'utf8')).toBe('from-container\n');
    await ecs.send(new StopTaskCommand({ cluster: C, task: arn }));
    const stopped = await waitForTask(ecs, C, arn, isStopped);
    expect(stopped.containers?.[0]?.exitCode, await logs(stopped)).toBe(90);
    // A host volume outlives its task.
    expect(existsSync(join(hostDir, 'written'))).toBe(true);
  });

  it('stops containers with the image StopSignal, SIGTERM by default', async ({ expect }) => {
    const trap = 'trap "exit 77" USR1; trap "exit 78" TERM; sleep 60 & wait';
    const [own, plain] = await Promise.all([
      registerAndRun(ecs, C, {
        family: 'stopsignal',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        containerDefinitions: [{ name: 'app', image: configured, command: [trap], stopTimeout: 5 }],
      }),
      registerAndRun(ecs, C, {
        family: 'stopsignal-default',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        containerDefinitions: [{ name: 'app', image: base, command: ['sh', '-c', trap], stopTimeout: 5 }],
      }),
    ]);
    const results = await Promise.all(
      [own, plain].map(async (t) => {
        await waitForTask(ecs, C, t.taskArn!, isRunning);
        await ecs.send(new StopTaskCommand({ cluster: C, task: t.taskArn! }));
        return waitForTask(ecs, C, t.taskArn!, isStopped);
      }),
    );
    expect(results.map((t) => t.containers?.[0]?.exitCode)).toEqual([77, 78]);
  });

  it('enforces the task memory: a container with no limit of its own is OOM-killed at 512 MiB', async ({ expect }) => {
    // dd reads 600 MiB of zeros into one buffer; exec makes it the container's process.
    const started = await registerAndRun(ecs, C, {
      family: 'task-memory',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [
        {
          name: 'app',
          image: base,
          command: ['sh', '-c', 'exec dd if=/dev/zero of=/dev/null bs=600M count=1'],
        },
      ],
    });
    const task = await waitForTask(ecs, C, started.taskArn!, isStopped);
    expect(task.containers?.[0]?.exitCode, await logs(task)).toBe(137);
    expect(task.containers?.[0]?.reason).toBe('OutOfMemoryError: Container killed due to memory usage');
  });

  it('sets cpu shares and the memory reservation in the container cgroup, seen inside and from the host', async ({ expect }) => {
    const inside = [
      'test "$(cat /sys/fs/cgroup/cpu/cpu.shares)" = 128',
      `test "$(cat /sys/fs/cgroup/memory/memory.soft_limit_in_bytes)" = ${64 * MIB}`,
    ];
    const started = await registerAndRun(ecs, C, {
      family: 'cgroups',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [
        {
          name: 'app',
          image: base,
          cpu: 128,
          memoryReservation: 64,
          stopTimeout: 5,
          // The trap first: a StopTask right after RUNNING must find it, however slowly the checks run.
          command: ['sh', '-c', `trap "exit 80" TERM\n${guards(...inside)}\nsleep 60 & wait`],
        },
      ],
    });
    const arn = started.taskArn!;
    const running = await waitForTask(ecs, C, arn, (t) => isRunning(t) || isStopped(t));
    expect(running.lastStatus, await logs(running)).toBe('RUNNING');
    const group = `minato/${taskIdOf(running)}`;
    const runtimeId = running.containers![0]!.runtimeId!;
    const read = (controller: string, file: string, container = true) =>
      readFile(join('/sys/fs/cgroup', controller, group, container ? runtimeId : '', file), 'utf8').then((s) => s.trim());
    expect(await read('cpu', 'cpu.shares')).toBe('128');
    expect(await read('memory', 'memory.soft_limit_in_bytes')).toBe(String(64 * MIB));
    // The task level: 256 units of cpu, 512 MiB of memory.
    expect(await read('cpu', 'cpu.shares', false)).toBe('256');
    expect(await read('memory', 'memory.limit_in_bytes', false)).toBe(String(512 * MIB));
    await ecs.send(new StopTaskCommand({ cluster: C, task: arn }));
    const stopped = await waitForTask(ecs, C, arn, isStopped);
    expect(stopped.containers?.[0]?.exitCode, await logs(stopped)).toBe(80);
  });
});

/** The body at `url`, retrying (for up to 10 s) while nothing listens yet. */
async function fetchWhenListening(url: string): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await (await fetch(url)).text();
    } catch (err) {
      if (attempt >= 100) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
