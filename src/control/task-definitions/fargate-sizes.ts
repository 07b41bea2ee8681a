/**
 * Fargate's task sizes: which task-level memory (MiB) goes with which task-level cpu (units).
 *
 * Source: the table in "Troubleshoot Amazon ECS task definition invalid CPU or memory errors"
 * (docs.aws.amazon.com/AmazonECS/latest/developerguide/task-cpu-memory-error.html) and the
 * `memory` member documentation of RegisterTaskDefinition. A probe of the live API
 * (74 combinations, ap-northeast-1) matches it exactly.
 */

/** One cpu tier: either an explicit list of memory values or an evenly stepped range. */
type Tier =
  | { readonly cpu: number; readonly explicit: readonly number[] }
  | { readonly cpu: number; readonly min: number; readonly max: number; readonly step: number };

const TIERS: readonly Tier[] = [
  { cpu: 256, explicit: [512, 1024, 2048] },
  { cpu: 512, min: 1024, max: 4096, step: 1024 },
  { cpu: 1024, min: 2048, max: 8192, step: 1024 },
  { cpu: 2048, min: 4096, max: 16384, step: 1024 },
  { cpu: 4096, min: 8192, max: 30720, step: 1024 },
  { cpu: 8192, min: 16384, max: 61440, step: 4096 },
  { cpu: 16384, min: 32768, max: 122880, step: 8192 },
];

const expand = (tier: Tier): readonly number[] => {
  if ('explicit' in tier) return tier.explicit;
  const out: number[] = [];
  for (let m = tier.min; m <= tier.max; m += tier.step) out.push(m);
  return out;
};

// Expanded once: the table is small (74 pairs) and lookups happen on every registration.
const CHOICES: ReadonlyMap<number, readonly number[]> = new Map(
  TIERS.map((tier) => [tier.cpu, Object.freeze([...expand(tier)])] as const),
);

/** The task cpu values (units) Fargate supports, smallest first. */
export const FARGATE_CPUS: readonly number[] = Object.freeze(TIERS.map((t) => t.cpu));

/** Fargate's supported task cpu (units) → memory (MiB) combinations; empty for an unsupported cpu. */
export function fargateMemoryChoices(cpu: number): readonly number[] {
  return CHOICES.get(cpu) ?? [];
}

/** Whether Fargate has a task size with exactly this cpu (units) and memory (MiB). */
export function isFargateSize(cpu: number, memory: number): boolean {
  return fargateMemoryChoices(cpu).includes(memory);
}
