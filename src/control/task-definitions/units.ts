/**
 * Task-level `cpu` and `memory` are strings on the wire. ECS accepts CPU units ("1024") or vCPUs
 * ("1 vCPU", "0.25 vcpu") and MiB ("2048") or GB ("2 GB", "0.5GB"), and stores the integer form
 * (RegisterTaskDefinition API reference, members `cpu` and `memory`).
 */
import { invalidRequest } from '../../lib/errors.js';

// Both messages: "Troubleshoot Amazon ECS task definition invalid CPU or memory errors" quotes the
// cpu one as a ClientException; the memory one follows the same wording (not seen verbatim).
const INVALID_CPU = "Invalid 'cpu' setting for task.";
const INVALID_MEMORY = "Invalid 'memory' setting for task.";

const INTEGER = /^\d+$/;
const VCPU = /^(\d*\.?\d+)\s*vcpus?$/i;
const GB = /^(\d*\.?\d+)\s*gb$/i;

/** Scales a decimal by 1024 and keeps it only when the result is a whole, positive number. */
const scaled = (digits: string): number | undefined => {
  const value = Number(digits) * 1024;
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
};

const whole = (digits: string): number | undefined => {
  const value = Number(digits);
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
};

const parse = (raw: string, unit: RegExp): number | undefined => {
  const text = raw.trim();
  if (INTEGER.test(text)) return whole(text);
  const match = unit.exec(text);
  return match?.[1] === undefined ? undefined : scaled(match[1]);
};

/** Task cpu as integer CPU units ("1 vCPU" → 1024); throws ECS's ClientException when unreadable. */
export function normalizeTaskCpu(s: string): number {
  const units = parse(s, VCPU);
  if (units === undefined) throw invalidRequest(INVALID_CPU);
  return units;
}

/** Task memory as integer MiB ("0.5 GB" → 512); throws ECS's ClientException when unreadable. */
export function normalizeTaskMemory(s: string): number {
  const mib = parse(s, GB);
  if (mib === undefined) throw invalidRequest(INVALID_MEMORY);
  return mib;
}

/** The ClientException text for a task cpu ECS will not take. */
export const INVALID_TASK_CPU = INVALID_CPU;
