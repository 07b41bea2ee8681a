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

// EC2's model has 765 operations; minato serves its networking part only, so only those
// operations and the shapes they reach are kept (a 1 MB model would be read on every start).
const SUBSETS = {
  ec2: [
    'CreateVpc', 'DescribeVpcs', 'DeleteVpc', 'ModifyVpcAttribute', 'DescribeVpcAttribute',
    'CreateSubnet', 'DescribeSubnets', 'DeleteSubnet', 'ModifySubnetAttribute',
    'CreateSecurityGroup', 'DescribeSecurityGroups', 'DeleteSecurityGroup', 'DescribeSecurityGroupRules',
    'AuthorizeSecurityGroupIngress', 'AuthorizeSecurityGroupEgress', 'RevokeSecurityGroupIngress', 'RevokeSecurityGroupEgress',
    'CreateInternetGateway', 'AttachInternetGateway', 'DetachInternetGateway', 'DeleteInternetGateway', 'DescribeInternetGateways',
    'CreateRouteTable', 'DescribeRouteTables', 'DeleteRouteTable', 'CreateRoute', 'DeleteRoute', 'AssociateRouteTable', 'DisassociateRouteTable',
    'DescribeNetworkAcls', 'DescribeNetworkInterfaces', 'DescribeAvailabilityZones', 'DescribeAccountAttributes', 'CreateTags', 'DeleteTags', 'DescribeTags',
  ],
};

/** The operations named and every shape they reach. */
function subset(model, operations) {
  const shapes = {};
  const visit = (name) => {
    if (!name || shapes[name]) return;
    const shape = model.shapes[name];
    shapes[name] = shape;
    for (const ref of [...Object.values(shape.members ?? {}), shape.member, shape.key, shape.value]) if (ref) visit(ref.shape);
  };
  const ops = {};
  for (const op of operations) {
    ops[op] = model.operations[op];
    visit(ops[op].input?.shape);
    visit(ops[op].output?.shape);
    for (const e of ops[op].errors ?? []) visit(e.shape);
  }
  const paginators = Object.fromEntries(Object.entries(model.paginators ?? {}).filter(([op]) => operations.includes(op)));
  return { ...model, operations: ops, shapes, paginators };
}

for (const name of names) {
  const model = JSON.parse(readFileSync(join(dir, name, 'service-2.json'), 'utf8'));
  let out = { metadata: strip(model.metadata), operations: strip(model.operations), shapes: strip(model.shapes) };
  const paginators = join(dir, name, 'paginators-1.json');
  if (existsSync(paginators)) out.paginators = JSON.parse(readFileSync(paginators, 'utf8')).pagination;
  if (SUBSETS[name]) out = subset(out, SUBSETS[name]);
  writeFileSync(join('models', `${name}.json`), JSON.stringify(out) + '\n');
  console.log(`models/${name}.json: ${Object.keys(out.operations).length} operations`);
}
