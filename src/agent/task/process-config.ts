import type { ContainerDefinition, ContainerOverride } from '@aws-sdk/client-ecs';

/** The parts of an OCI image config that are defaults for a container. */
export interface ImageDefaults {
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  Env?: string[] | null;
  WorkingDir?: string;
  User?: string;
  StopSignal?: string;
}

/** The process a container runs, resolved from image defaults, the definition and overrides. */
export interface ProcessConfig {
  args: string[];
  env: string[];
  cwd: string;
  user?: string;
  stopSignal: string;
}

const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Merges KEY=value lists: later lists win per key, first-seen order kept. */
export function mergeEnv(...lists: ReadonlyArray<ReadonlyArray<string>>): string[] {
  const byKey = new Map<string, string>();
  for (const list of lists) {
    for (const entry of list) {
      const eq = entry.indexOf('=');
      const key = eq < 0 ? entry : entry.slice(0, eq);
      byKey.set(key, entry);
    }
  }
  return [...byKey.values()];
}

/** Keeps the first entry per key, in order (the ECS agent sets a variable from a file only once). */
function firstPerKey(list: readonly string[]): string[] {
  const seen = new Set<string>();
  return list.filter((entry) => {
    const key = entry.slice(0, entry.indexOf('='));
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Resolves the process as Docker does for ECS: an entryPoint in the definition replaces the
 * image's Entrypoint and drops the image's Cmd; a command replaces Cmd; the override's command
 * replaces the definition's. Environment: image, then the environment files (each parsed by
 * {@link parseEnvironmentFile}, concatenated in their order: the first file that sets a variable
 * wins), then the definition, then the override, then what the platform injects.
 */
export function resolveProcess(
  image: ImageDefaults,
  def: ContainerDefinition,
  override: ContainerOverride | undefined,
  injected: readonly string[],
  environmentFiles: readonly string[] = [],
): ProcessConfig {
  const command = override?.command ?? def.command;
  const entrypoint = def.entryPoint?.length ? def.entryPoint : (image.Entrypoint ?? []);
  const cmd = command ?? (def.entryPoint?.length ? [] : (image.Cmd ?? []));
  const env = mergeEnv(
    image.Env ?? [],
    firstPerKey(environmentFiles),
    (def.environment ?? []).map((e) => `${e.name}=${e.value ?? ''}`),
    (override?.environment ?? []).map((e) => `${e.name}=${e.value ?? ''}`),
    injected,
  );
  const withPath = env.some((e) => e.startsWith('PATH=')) ? env : [DEFAULT_PATH, ...env];
  const user = def.user ?? (image.User || undefined);
  return {
    args: [...entrypoint, ...cmd],
    env: withPath,
    cwd: def.workingDirectory ?? (image.WorkingDir || '/'),
    ...(user !== undefined && { user }),
    stopSignal: image.StopSignal || 'SIGTERM',
  };
}

/**
 * Parses one environment file as the ECS agent reads it: lines split at the first `=`, taken as
 * they are (no trimming, no quotes); lines starting with `#`, without `=`, or with an empty name
 * or value are skipped; a variable set twice keeps its last value. One entry per variable.
 */
export function parseEnvironmentFile(text: string): string[] {
  const lines = text.split(/\r?\n/).filter((l) => {
    const eq = l.indexOf('=');
    return !l.startsWith('#') && eq > 0 && eq < l.length - 1;
  });
  return mergeEnv(lines);
}
