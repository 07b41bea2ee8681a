import { containerIpv4, type CniResult } from './cni-types.js';
import { networkInterfaceIdFor, privateDnsNameFor } from './eni.js';
import { formatSubnet, parseIpv4 } from './ipv4.js';
import type { CniPortMapping } from './cni-config.js';
import type { PortProtocol, TaskNetwork, TaskNetworkRequest } from './network-manager.js';

/**
 * Reads the task's network from the final ADD result (the IPv4 address of `ifName` inside
 * `netnsPath`) and the ports published for it.
 */
export function toTaskNetwork(req: TaskNetworkRequest, netnsPath: string, ifName: string, result: CniResult, published: readonly CniPortMapping[] = []): TaskNetwork {
  const found = containerIpv4(result, ifName, netnsPath);
  if (!found) throw new Error(`the CNI result has no IPv4 address for ${ifName} in ${netnsPath}`);
  const [address = '', prefixText = ''] = found.ip.address.split('/');
  const ip = parseIpv4(address);
  const prefix = Number(prefixText);
  if (ip === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) {
    throw new Error(`the CNI result has an unreadable address "${found.ip.address}"`);
  }
  const hostMask = prefix === 32 ? 0 : 2 ** (32 - prefix) - 1;
  const network = ip - (ip % (hostMask + 1));
  if (!found.ip.gateway) throw new Error('the CNI result has no gateway');
  if (!found.iface.mac) throw new Error(`the CNI result has no MAC address for ${ifName}`);
  const privateDnsName = privateDnsNameFor(address, req.region);
  return {
    netnsPath,
    ipv4Address: address,
    subnetCidr: formatSubnet({ network, prefix }),
    gateway: found.ip.gateway,
    macAddress: found.iface.mac,
    interfaceName: ifName,
    privateDnsName,
    networkInterfaceId: networkInterfaceIdFor(req.taskId),
    hostname: req.hostname ?? privateDnsName,
    ...(published.length > 0 && {
      portBindings: published.map((m) => ({ bindIP: m.hostIP, containerPort: m.containerPort, hostPort: m.hostPort, protocol: m.protocol as PortProtocol })),
    }),
  };
}
