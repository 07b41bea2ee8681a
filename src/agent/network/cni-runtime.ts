import { type CniExecOptions, execAdd, execPlugin } from './cni-exec.js';
import type { CniAttachment, CniCommand, CniNetworkConfigList, CniPluginConfig, CniResult } from './cni-types.js';
import { KeyedMutex } from './keyed-mutex.js';

/** Capability arguments (CNI conventions), e.g. `{ portMappings: [...] }`. */
export type CapabilityArgs = Readonly<Record<string, unknown>>;

/**
 * The execution configuration for one plugin (spec section 3, "Deriving execution configuration"):
 * the plugin's configuration with the list's `cniVersion` and `name`, a `runtimeConfig` of the
 * capabilities both declared by the plugin and supplied by the runtime, the previous result when
 * there is one, and without `capabilities`.
 */
export function executionConfig(
  list: CniNetworkConfigList,
  plugin: CniPluginConfig,
  args: CapabilityArgs,
  prevResult: CniResult | undefined,
): Record<string, unknown> {
  const { capabilities, ...rest } = plugin;
  const config: Record<string, unknown> = { ...rest, cniVersion: list.cniVersion, name: list.name };
  const runtimeConfig: Record<string, unknown> = {};
  for (const [capability, enabled] of Object.entries(capabilities ?? {})) {
    if (enabled && args[capability] !== undefined) runtimeConfig[capability] = args[capability];
  }
  if (Object.keys(runtimeConfig).length > 0) config.runtimeConfig = runtimeConfig;
  else delete config.runtimeConfig;
  if (prevResult) config.prevResult = prevResult;
  else delete config.prevResult;
  return config;
}

/** How the runtime runs plugins. */
export interface CniRuntimeOptions extends CniExecOptions {
  /**
   * Plugin types this runtime runs one invocation at a time. The portmap plugin's check-then-create
   * of its shared iptables chains is not atomic, so concurrent first uses could duplicate rules.
   */
  exclusive?: readonly string[];
}

/** Adds, checks and deletes attachments of network configuration lists by running plugin binaries. */
export class CniRuntime {
  private readonly locks = new KeyedMutex();

  constructor(private readonly opts: CniRuntimeOptions) {}

  /** Runs ADD for each plugin in order, each given the previous one's result; resolves with the final result. */
  async add(list: CniNetworkConfigList, attachment: CniAttachment, args: CapabilityArgs): Promise<CniResult> {
    let result: CniResult | undefined;
    for (const plugin of list.plugins) {
      const config = executionConfig(list, plugin, args, result);
      result = await this.serialised(plugin.type, () => execAdd(plugin.type, attachment, config, this.opts));
    }
    if (!result) throw new Error(`network ${list.name} has no plugins`);
    return result;
  }

  /** Runs DEL for each plugin in reverse order, each given the final ADD result when it is known. */
  async del(list: CniNetworkConfigList, attachment: CniAttachment, args: CapabilityArgs, prevResult?: CniResult): Promise<void> {
    for (const plugin of [...list.plugins].reverse()) {
      await this.run(plugin, 'DEL', list, attachment, args, prevResult);
    }
  }

  /** Runs CHECK for each plugin in order with the final ADD result; rejects at the first failure. */
  async check(list: CniNetworkConfigList, attachment: CniAttachment, args: CapabilityArgs, prevResult: CniResult): Promise<void> {
    if (list.disableCheck) return;
    for (const plugin of list.plugins) {
      await this.run(plugin, 'CHECK', list, attachment, args, prevResult);
    }
  }

  /** The specification versions a plugin supports (its VERSION answer). */
  async supportedVersions(type: string, cniVersion: string): Promise<string[]> {
    const out = (await execPlugin(type, 'VERSION', undefined, { cniVersion }, this.opts)) as { supportedVersions?: unknown } | undefined;
    const versions = out?.supportedVersions;
    return Array.isArray(versions) ? versions.filter((v): v is string => typeof v === 'string') : [];
  }

  private async run(
    plugin: CniPluginConfig,
    command: CniCommand,
    list: CniNetworkConfigList,
    attachment: CniAttachment,
    args: CapabilityArgs,
    prevResult: CniResult | undefined,
  ): Promise<void> {
    const config = executionConfig(list, plugin, args, prevResult);
    await this.serialised(plugin.type, () => execPlugin(plugin.type, command, attachment, config, this.opts));
  }

  private serialised<T>(type: string, fn: () => Promise<T>): Promise<T> {
    return this.opts.exclusive?.includes(type) ? this.locks.run(type, fn) : fn();
  }
}
