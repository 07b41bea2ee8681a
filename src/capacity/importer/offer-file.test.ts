import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { shippedCatalog } from '../catalog.fixtures.js';
import { parsePriceSnapshotDoc } from '../sources.js';
import { Basis } from '../types.js';
import { importOfferFile } from './offer-file.js';

const sample: unknown = JSON.parse(readFileSync(new URL('./offer-file.sample.json', import.meta.url), 'utf8'));

describe('importOfferFile', () => {
  it('keeps Linux, Shared, no pre-installed software, capacitystatus Used on-demand hourly prices', () => {
    const r = importOfferFile(sample, '2026-11-02');
    expect(r.onDemandUsdPerHour).toEqual({ 'ap-northeast-1': { 'c7i.large': 0.11235, 'c7g.large': 0.091, 'm7i.large': 0.1302 }, 'us-east-1': { 'c7i.large': 0.08925 } });
    expect(r.counts).toEqual({ products: 9, kept: 4 });
    expect(r.source).toMatch(/version 20261101000000, published 2026-11-01T00:00:00Z/);
  });

  it('refuses what is not an offer file', () => {
    expect(() => importOfferFile({ hello: 1 }, 'x')).toThrow(/not an AWS offer file/);
  });

  it('turns derived catalog prices into measured ones when merged', () => {
    const r = importOfferFile(sample, '2026-11-02');
    const doc = { source: r.source, retrieved: r.retrieved, onDemandUsdPerHour: r.onDemandUsdPerHour };
    const before = shippedCatalog().regions.get('ap-northeast-1')!.onDemand.get('m7i.large')!;
    expect(before).toMatchObject({ basis: Basis.Derived, from: 'od-family-ratio' });
    // The family-ratio rule had it right to the cent: m7i sizes are priced linearly.
    expect(before.usdPerHour).toBeCloseTo(0.1302, 4);
    const after = shippedCatalog([parsePriceSnapshotDoc(doc, 'offer-test')]).regions.get('ap-northeast-1')!;
    expect(after.onDemand.get('m7i.large')).toEqual({ usdPerHour: 0.1302, basis: Basis.Measured, from: 'offer-test' });
    expect(after.onDemand.get('c7i.large')).toEqual({ usdPerHour: 0.11235, basis: Basis.Measured, from: 'offer-test' });
  });
});
