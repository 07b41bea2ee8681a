/**
 * The container definition's Linux settings with real runc tasks: capabilities, tmpfs, /dev/shm,
 * sysctls, DNS, volumesFrom, privileged, security options and the default seccomp profile, each
 * observed from inside a container by a probe script's exit code.
 */
import { ClientException, RegisterTaskDefinitionCommand, type ECSClient, type Task } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { usePlatform } from '../support/platform.js';
import { checks, runProbes, taskLogs } from './probe-task.js';
import { startImageFixture, type ImageFixture } from './task-fixture.js';

const env = usePlatform();
const C = 'linux-params';
let ecs: ECSClient;
let fixture: ImageFixture;
let image: string;

beforeAll(async () => {
  ecs = env.ecs();
  fixture = await startImageFixture();
  image = fixture.image;
});
afterAll(async () => {
  await fixture?.stop();
});

const logs = (task: Task) => taskLogs(env.platform().config.dataDir, task);

/** Shell that tests bit `n` of the process's effective capabilities. */
const capBit = (n: number) => `$(( $(( 0x$(grep CapEff /proc/self/status | cut -f2) )) >> ${n} & 1 ))`;
const CAP_NET_RAW = 13;
const CAP_NET_ADMIN = 12;
const CAP_SYS_PTRACE = 19;
const CAP_SYS_ADMIN = 21;
/** An EC2 task in bridge mode (what Fargate does not allow). */
const EC2_BRIDGE = { definition: { networkMode: 'bridge' as const, requiresCompatibilities: ['EC2' as const] } };

describe.concurrent('Linux settings of container definitions with real containers', () => {
  it('applies capabilities, tmpfs, sysctls and the default seccomp profile on Fargate', async ({ expect }) => {
    const { exitCodes, task } = await runProbes(ecs, C, 'fargate-linux', image, [
      {
        name: 'caps',
        image,
        linuxParameters: { capabilities: { add: ['SYS_PTRACE'], drop: ['NET_RAW'] } },
        command: checks(30, `test ${capBit(CAP_NET_RAW)} = 0`, `test ${capBit(CAP_SYS_PTRACE)} = 1`, `test ${capBit(CAP_SYS_ADMIN)} = 0`),
      },
      { name: 'defaultcaps', image, command: checks(31, `test ${capBit(CAP_NET_RAW)} = 1`, `test ${capBit(CAP_SYS_PTRACE)} = 0`) },
      {
        name: 'tmpfs',
        image,
        linuxParameters: { tmpfs: [{ containerPath: '/scratch', size: 8, mountOptions: ['mode=1770'] }] },
        command: checks(
          32,
          'grep -E "^tmpfs /scratch tmpfs .*noexec.*size=8192k.*mode=1770" /proc/mounts',
          'test "$(df -k /scratch | tail -1 | awk \'{print $2}\')" = 8192',
          'echo x > /scratch/f',
        ),
      },
      {
        name: 'sysctl',
        image,
        systemControls: [
          { namespace: 'net.core.somaxconn', value: '1234' },
          { namespace: 'kernel.shmmax', value: '12345678' },
        ],
        command: checks(33, 'test "$(cat /proc/sys/net/core/somaxconn)" = 1234', 'test "$(cat /proc/sys/kernel/shmmax)" = 12345678'),
      },
      {
        name: 'seccomp',
        image,
        command: checks(
          34,
          'grep -q "^Seccomp:[[:space:]]*2" /proc/self/status',
          '! unshare -U true 2>/dev/null',
          'unshare -U true 2>&1 | grep -q "Operation not permitted"',
          'mkdir -p /mnt/t && ! mount -t tmpfs none /mnt/t 2>/dev/null',
          'echo works > /tmp/w && test "$(cat /tmp/w)" = works',
          'sh -c "exit 3"; test $? = 3',
        ),
      },
    ]);
    expect(exitCodes, await logs(task)).toEqual({ caps: 30, defaultcaps: 31, tmpfs: 32, sysctl: 33, seccomp: 34 });
  });

  it('applies sharedMemorySize, DNS, privileged and security options in an EC2 bridge-mode task', async ({ expect }) => {
    const { exitCodes, task } = await runProbes(
      ecs,
      C,
      'ec2-linux',
      image,
      [
        {
          name: 'shm',
          image,
          memory: 64,
          linuxParameters: { sharedMemorySize: 128 },
          command: checks(40, 'grep -E "^shm /dev/shm tmpfs .*size=131072k" /proc/mounts', 'test "$(df -k /dev/shm | tail -1 | awk \'{print $2}\')" = 131072'),
        },
        {
          name: 'dns',
          image,
          memory: 64,
          dnsServers: ['10.11.12.13', '10.11.12.14'],
          dnsSearchDomains: ['svc.example'],
          command: checks(
            41,
            'grep -qx "nameserver 10.11.12.13" /etc/resolv.conf',
            'grep -qx "nameserver 10.11.12.14" /etc/resolv.conf',
            'test "$(grep -c ^nameserver /etc/resolv.conf)" = 2',
            'grep -qx "search svc.example" /etc/resolv.conf',
          ),
        },
        {
          name: 'privileged',
          image,
          memory: 64,
          privileged: true,
          command: checks(
            42,
            `test ${capBit(CAP_SYS_ADMIN)} = 1`,
            'grep -q "^Seccomp:[[:space:]]*0" /proc/self/status',
            'unshare -U true',
            'mkdir -p /mnt/t && mount -t tmpfs none /mnt/t && umount /mnt/t',
            'test -c /dev/kmsg',
          ),
        },
        {
          name: 'secopts',
          image,
          memory: 64,
          linuxParameters: { capabilities: { add: ['NET_ADMIN'] } },
          dockerSecurityOptions: ['no-new-privileges', 'seccomp=unconfined'],
          command: checks(
            43,
            'grep -q "^NoNewPrivs:[[:space:]]*1" /proc/self/status',
            'grep -q "^Seccomp:[[:space:]]*0" /proc/self/status',
            'unshare -U true',
            `test ${capBit(CAP_NET_ADMIN)} = 1`,
            '! test -e /dev/kmsg',
          ),
        },
      ],
      EC2_BRIDGE,
    );
    expect(exitCodes, await logs(task)).toEqual({ shm: 40, dns: 41, privileged: 42, secopts: 43 });
  });

  it('mounts the volumes of the containers named by volumesFrom, read-only when asked', async ({ expect }) => {
    const waitFor = (file: string) => `i=0; while [ ! -f ${file} ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; test -f ${file}`;
    const { exitCodes, task } = await runProbes(
      ecs,
      C,
      'volumes-from',
      image,
      [
        {
          name: 'owner',
          image,
          mountPoints: [{ sourceVolume: 'shared', containerPath: '/shared' }],
          // Written aside, then renamed: the others wait for the file, and must not see it half written.
          command: checks(50, 'echo from-owner > /shared/.owner && mv /shared/.owner /shared/owner', waitFor('/shared/reader-done')),
        },
        {
          name: 'writer',
          image,
          volumesFrom: [{ sourceContainer: 'owner' }],
          command: checks(51, waitFor('/shared/owner'), 'test "$(cat /shared/owner)" = from-owner', 'touch /shared/writer'),
        },
        {
          name: 'reader',
          image,
          volumesFrom: [{ sourceContainer: 'owner', readOnly: true }],
          command: checks(
            52,
            waitFor('/shared/writer'),
            'test "$(cat /shared/owner)" = from-owner',
            '! touch /shared/nope 2>/dev/null',
            'grep -E " /shared [^ ]+ ro[, ]" /proc/mounts',
          ),
        },
        // The reader cannot write, so a fourth container tells the owner it may end.
        {
          name: 'closer',
          image,
          volumesFrom: [{ sourceContainer: 'owner' }],
          dependsOn: [{ containerName: 'reader', condition: 'COMPLETE' }],
          command: checks(53, 'touch /shared/reader-done'),
        },
      ],
      { definition: { volumes: [{ name: 'shared' }] } },
    );
    expect(exitCodes, await logs(task)).toEqual({ owner: 50, writer: 51, reader: 52, closer: 53 });
  });

  it('rejects Linux settings ECS does not accept at registration', async ({ expect }) => {
    const fargate = (c: object) =>
      ecs.send(
        new RegisterTaskDefinitionCommand({
          family: 'linux-bad',
          networkMode: 'awsvpc',
          requiresCompatibilities: ['FARGATE'],
          cpu: '256',
          memory: '512',
          containerDefinitions: [{ name: 'a', image, ...c }],
        }),
      );
    const bridge = (c: object) =>
      ecs.send(new RegisterTaskDefinitionCommand({ family: 'linux-bad-ec2', networkMode: 'bridge', containerDefinitions: [{ name: 'a', image, memory: 64, ...c }] }));
    await expect(fargate({ linuxParameters: { capabilities: { add: ['NET_ADMIN'] } } })).rejects.toThrow(ClientException);
    await expect(fargate({ linuxParameters: { capabilities: { add: ['NET_ADMIN'] } } })).rejects.toThrow(
      "Fargate compatible task definitions do not support capability 'NET_ADMIN' in linuxParameters.capabilities.add",
    );
    await expect(fargate({ linuxParameters: { sharedMemorySize: 64 } })).rejects.toThrow('Fargate compatible task definitions do not support sharedMemorySize');
    await expect(fargate({ privileged: true })).rejects.toThrow('Fargate compatible task definitions do not support privileged');
    await expect(fargate({ dnsServers: ['10.0.0.2'] })).rejects.toThrow('dnsServers is not supported on container when networkMode=awsvpc.');
    await expect(bridge({ systemControls: [{ namespace: 'kernel.panic', value: '1' }] })).rejects.toThrow("Invalid 'systemControls' setting for container 'a'.");
    await expect(bridge({ linuxParameters: { sharedMemorySize: 0 } })).rejects.toThrow("Invalid 'linuxParameters.sharedMemorySize' setting for container 'a'.");
    await expect(bridge({ linuxParameters: { tmpfs: [{ containerPath: '/t', size: 0 }] } })).rejects.toThrow("Invalid 'linuxParameters.tmpfs.size' setting for container 'a'.");
  });
});
