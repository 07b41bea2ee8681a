#!/usr/bin/env node
// The compiled CLI; `npm run build` (run by scripts/setup.sh) produces it.
import { main } from '../dist/cli/main.js';

main(process.argv).catch((err) => {
  process.stderr.write(`minato: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
