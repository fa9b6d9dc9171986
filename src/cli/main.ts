/**
 * @module cli/main
 * The `funnel` command: parses arguments, runs one command, maps errors to messages and exit codes.
 * The only module (with cli/io) that prints or sets the exit code.
 */

import { Command, CommanderError } from 'commander';
import { FunnelError } from '../errors.js';
import * as admin from './commands/admin-cmds.js';
import * as evaluate from './commands/eval-cmd.js';
import * as funnel from './commands/funnel-cmds.js';
import * as index from './commands/index-cmd.js';
import * as judge from './commands/judge-cmd.js';
import * as needle from './commands/needle-cmd.js';
import * as run from './commands/run-cmd.js';
import * as search from './commands/search-cmd.js';
import * as train from './commands/train-cmd.js';
import * as watch from './commands/watch-cmd.js';
import { EXIT, err, UsageError } from './io.js';

const program = new Command();
program
  .name('funnel')
  .description('Index a corpus far larger than any context window and search it, on your own machine.')
  .version('0.1.0')
  .showHelpAfterError()
  .exitOverride();

for (const mod of [index, watch, search, funnel, run, evaluate, needle, train, judge, admin])
  mod.register(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
  } else if (e instanceof UsageError) {
    err(`funnel: ${e.message}`);
    process.exitCode = EXIT.USAGE;
  } else if (e instanceof FunnelError) {
    err(`funnel: ${e.message}`);
    process.exitCode = EXIT.ERROR;
  } else {
    err(`funnel: unexpected error: ${(e as Error)?.stack ?? e}`);
    process.exitCode = EXIT.ERROR;
  }
}
