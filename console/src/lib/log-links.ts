/** Where a container's awslogs lines go: the group, and the stream `prefix/container/task-id`. */

export interface LogTarget {
  container: string;
  group: string;
  stream?: string;
}

interface LogConfiguration {
  logDriver?: string;
  options?: Record<string, string>;
}

export function logTargets(containerDefinitions: readonly { name: string; logConfiguration?: LogConfiguration }[], taskId: string): LogTarget[] {
  return containerDefinitions.flatMap((c) => {
    const config = c.logConfiguration;
    const group = config?.options?.['awslogs-group'];
    if (config?.logDriver !== 'awslogs' || !group) return [];
    const prefix = config.options?.['awslogs-stream-prefix'];
    return [{ container: c.name, group, ...(prefix && { stream: `${prefix}/${c.name}/${taskId}` }) }];
  });
}
