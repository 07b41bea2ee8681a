import type { InstalledPackage } from './types.js';

/** `…/node_modules/<name>/package.json` or `…/node_modules/@scope/<name>/package.json`. */
export const NPM_MANIFEST = /(?:^|\/)node_modules\/(?:@[^/]+\/)?[^/@.][^/]*\/package\.json$/;

/** The package a `package.json` inside `node_modules` declares (none for a malformed one). */
export function parseNpmManifest(text: string, path: string): InstalledPackage[] {
  const doc = JSON.parse(text) as { name?: unknown; version?: unknown };
  if (typeof doc.name !== 'string' || typeof doc.version !== 'string') return [];
  return [{ type: 'npm', name: doc.name, version: doc.version, path }];
}
