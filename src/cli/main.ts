import { Command } from 'commander';
import { registerAdvisories } from './advisories.js';
import { registerAgent } from './agent.js';
import { registerCost } from './cost.js';
import { registerInterruptSpotTask } from './interrupt-spot-task.js';
import { registerLint } from './lint.js';
import { registerRightsize } from './rightsize.js';
import { registerUp } from './up.js';

/** The `minato` command line. */
export async function main(argv: readonly string[]): Promise<void> {
  const program = new Command('minato')
    .description('a self-hosted container platform that speaks the AWS container APIs')
    .showHelpAfterError();
  registerUp(program);
  registerCost(program);
  registerInterruptSpotTask(program);
  registerRightsize(program);
  registerAgent(program);
  registerAdvisories(program);
  registerLint(program);
  await program.parseAsync(argv as string[]);
}
