#!/usr/bin/env node
// Copies AWS service models (botocore's service-2.json, Apache-2.0) into models/, without their
// documentation strings, so request validation and error names follow the published API.
// Usage: node scripts/import-models.mjs <botocore-data-dir> [service ...]
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const [dir, ...services] = process.argv.slice(2);
if (!dir) {
  console.error('usage: import-models.mjs <models-dir> [service ...]');
  process.exit(2);
}
const names = services.length ? services : ['ecs', 'sts', 'ecr', 'logs', 'secretsmanager', 'ssm', 'application-autoscaling', 'cloudwatch', 'elbv2', 'acm', 'sns'];

function strip(value) {
  if (Array.isArray(value)) return value.map(strip);
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'documentation' || k === 'documentationUrl' || k === 'deprecatedMessage') continue;
      out[k] = strip(v);
    }
    return out;
  }
  return value;
}

for (const name of names) {
  const model = JSON.parse(readFileSync(join(dir, name, 'service-2.json'), 'utf8'));
  const out = { metadata: strip(model.metadata), operations: strip(model.operations), shapes: strip(model.shapes) };
  const paginators = join(dir, name, 'paginators-1.json');
  if (existsSync(paginators)) out.paginators = JSON.parse(readFileSync(paginators, 'utf8')).pagination;
  writeFileSync(join('models', `${name}.json`), JSON.stringify(out) + '\n');
  console.log(`models/${name}.json: ${Object.keys(out.operations).length} operations`);
}
