/**
 * Reads AWS's public Price List offer file for Amazon EC2 (the JSON served per region at
 * `/offers/v1.0/aws/AmazonEC2/current/<region>/index.json`): `products` keyed by SKU with their
 * attributes, and `terms.OnDemand[sku][offerTermCode].priceDimensions[*].pricePerUnit.USD`.
 * Keeps Linux, Shared tenancy, no pre-installed software, capacitystatus Used, hourly prices: the
 * plain on-demand price of an instance. The result is a price snapshot (sources.ts) the catalog
 * builder merges over older figures. Pure: the caller reads and writes the files.
 */
import { invalidParameter } from '../../lib/errors.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The importer's result, in the price-snapshot format. */
export interface OfferImport {
  readonly source: string;
  readonly retrieved: string;
  readonly onDemandUsdPerHour: Record<string, Record<string, number>>;
  /** How many products were read and kept, for the report. */
  readonly counts: { readonly products: number; readonly kept: number };
}

/** Why each kept product qualifies: the filter of the brief, attribute by attribute. */
export const OFFER_FILTER: Readonly<Record<string, string>> = {
  operatingSystem: 'Linux',
  tenancy: 'Shared',
  preInstalledSw: 'NA',
  capacitystatus: 'Used',
};

/** Extracts Linux on-demand hourly prices by region and instance type. */
export function importOfferFile(raw: unknown, retrieved: string): OfferImport {
  if (!isObject(raw) || !isObject(raw.products) || !isObject(raw.terms)) throw invalidParameter('not an AWS offer file: expected products and terms');
  const onDemandTerms = isObject(raw.terms.OnDemand) ? raw.terms.OnDemand : {};
  const out: Record<string, Record<string, number>> = {};
  let products = 0;
  let kept = 0;
  for (const [sku, product] of Object.entries(raw.products)) {
    products++;
    if (!isObject(product) || !isObject(product.attributes)) continue;
    const a = product.attributes;
    if (product.productFamily !== 'Compute Instance') continue;
    if (Object.entries(OFFER_FILTER).some(([k, v]) => a[k] !== v)) continue;
    const region = typeof a.regionCode === 'string' ? a.regionCode : undefined;
    const type = typeof a.instanceType === 'string' ? a.instanceType : undefined;
    if (!region || !type) continue;
    const usd = hourlyUsd(onDemandTerms[sku]);
    if (usd === undefined) continue;
    (out[region] ??= {})[type] = usd;
    kept++;
  }
  const version = typeof raw.version === 'string' ? raw.version : 'unknown';
  const published = typeof raw.publicationDate === 'string' ? raw.publicationDate : 'unknown';
  return {
    source: `AWS Price List offer file ${String(raw.offerCode ?? 'AmazonEC2')} version ${version}, published ${published}: Linux, Shared tenancy, no pre-installed software, capacitystatus Used, on-demand USD per hour`,
    retrieved,
    onDemandUsdPerHour: out,
    counts: { products, kept },
  };
}

/** The USD per hour of an OnDemand term set, when it has one hourly dimension with a price. */
function hourlyUsd(terms: unknown): number | undefined {
  if (!isObject(terms)) return undefined;
  for (const term of Object.values(terms)) {
    if (!isObject(term) || !isObject(term.priceDimensions)) continue;
    for (const dim of Object.values(term.priceDimensions)) {
      if (!isObject(dim) || dim.unit !== 'Hrs' || !isObject(dim.pricePerUnit)) continue;
      const usd = Number(dim.pricePerUnit.USD);
      if (Number.isFinite(usd) && usd > 0) return usd;
    }
  }
  return undefined;
}
