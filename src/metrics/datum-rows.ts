import type { StoredDatum } from './metric-store.js';
import type { SampleSet } from './statistics.js';

/** A stored datum as both stores keep it: a datum of one value (count 1, min = max = sum) keeps no `vals`. */
export interface DataRow {
  timestamp: number;
  unit: string;
  resolution: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  vals: string | null;
}

/** Whether a sample set is one value seen once: its values need not be stored. */
export const isSingleValue = (s: SampleSet): boolean => s.count === 1 && s.min === s.max && s.sum === s.min && s.values?.length === 1;

const valuesOf = (row: DataRow): Array<[number, number]> | undefined => {
  if (row.vals !== null) return JSON.parse(row.vals) as Array<[number, number]>;
  // A statistic set of one sample equal to its sum is as good as that value (datum-rules.ts).
  return row.count === 1 && row.min === row.max && row.sum === row.min ? [[row.min, 1]] : undefined;
};

/** A row as the port gives it. */
export const toDatum = (row: DataRow): StoredDatum => {
  const values = valuesOf(row);
  return {
    timestamp: row.timestamp,
    unit: row.unit,
    storageResolution: row.resolution === 1 ? 1 : 60,
    samples: { count: row.count, sum: row.sum, min: row.min, max: row.max, ...(values !== undefined && { values }) },
  };
};
