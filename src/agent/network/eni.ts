import { createHash } from 'node:crypto';
import type { TaskNetwork } from './network-manager.js';

/** A `KeyValuePair` of an ECS attachment's `details`. */
export interface AttachmentDetail {
  name: string;
  value: string;
}

/** The ECS attachment type of a task's network interface. */
export const ENI_ATTACHMENT_TYPE = 'ElasticNetworkInterface';

/**
 * An ENI id for a task, as EC2 writes them (`eni-` and 17 hex digits). Derived from the task id so
 * that it is the same after a restart and needs no storage of its own.
 */
export function networkInterfaceIdFor(taskId: string): string {
  return `eni-${createHash('sha256').update(`eni:${taskId}`).digest('hex').slice(0, 17)}`;
}

/**
 * The EC2 private DNS name of an address: `ip-10-0-1-5.ec2.internal` in us-east-1 (and when no
 * region is given), `ip-10-0-1-5.<region>.compute.internal` elsewhere.
 */
export function privateDnsNameFor(ipv4Address: string, region?: string): string {
  const host = `ip-${ipv4Address.replaceAll('.', '-')}`;
  return !region || region === 'us-east-1' ? `${host}.ec2.internal` : `${host}.${region}.compute.internal`;
}

/**
 * The `details` of a task's ElasticNetworkInterface attachment (DescribeTasks `attachments`), with
 * ECS's names in ECS's order.
 */
export function eniAttachmentDetails(net: TaskNetwork, subnetId: string): AttachmentDetail[] {
  return [
    { name: 'subnetId', value: subnetId },
    { name: 'networkInterfaceId', value: net.networkInterfaceId },
    { name: 'macAddress', value: net.macAddress },
    { name: 'privateDnsName', value: net.privateDnsName },
    { name: 'privateIPv4Address', value: net.ipv4Address },
  ];
}
