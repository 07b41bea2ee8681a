import { describe, expect, it } from 'vitest';
import { parseTaskCpu, parseTaskMemory, taskShape } from './task-definition.js';

describe('taskShape', () => {
  it('uses task-level cpu and memory when given', () => {
    const s = taskShape({ family: 'web', cpu: '2 vCPU', memory: '4 GB', containerDefinitions: [{ name: 'a', image: 'x', memory: 512 }] });
    expect(s.ec2).toEqual({ cpu: 2048, memoryMiB: 4096, gpus: 0 });
    expect(s.fargate).toEqual({ cpu: 2048, memoryMiB: 4096 });
  });

  it('sums containers: memoryReservation on EC2, the hard limit for Fargate', () => {
    const s = taskShape({
      family: 'app',
      containerDefinitions: [
        { name: 'a', image: 'x', cpu: 1024, memory: 4096, memoryReservation: 3584 },
        { name: 'b', image: 'y', cpu: 256, memory: 512 },
      ],
    });
    expect(s.ec2).toEqual({ cpu: 1280, memoryMiB: 4096, gpus: 0 });
    expect(s.fargate).toEqual({ cpu: 1280, memoryMiB: 4608 });
  });

  it('reads DescribeTaskDefinition output, GPUs, architecture and placement constraints', () => {
    const s = taskShape({
      taskDefinition: {
        family: 'ml',
        runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
        placementConstraints: [{ type: 'memberOf', expression: 'attribute:ecs.instance-type =~ g5.*' }, { type: 'distinctInstance' }],
        containerDefinitions: [{ name: 'a', image: 'x', cpu: 4096, memory: 16384, resourceRequirements: [{ type: 'GPU', value: '1' }] }],
      },
    });
    expect(s.family).toBe('ml');
    expect(s.ec2.gpus).toBe(1);
    expect(s.arch).toBe('arm64');
    expect(s.memberOf).toEqual(['attribute:ecs.instance-type =~ g5.*']);
    expect(s.distinctInstance).toBe(true);
  });

  it('rejects definitions without memory or containers', () => {
    expect(() => taskShape({ containerDefinitions: [{ name: 'a', image: 'x' }] })).toThrow(/no memory/);
    expect(() => taskShape({ family: 'x' })).toThrow(/containerDefinitions/);
    expect(() => parseTaskCpu('lots')).toThrow(/cpu/);
    expect(parseTaskMemory('0.5GB')).toBe(512);
    expect(parseTaskCpu('0.25 vcpu')).toBe(256);
  });
});
