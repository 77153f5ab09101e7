import { Command, CommanderError } from 'commander';
import { registerCatalog } from './commands/catalog-command.ts';
import { registerDags } from './commands/dags-command.ts';
import { registerDemo } from './commands/demo-command.ts';
import { registerGenerate } from './commands/generate-command.ts';
import { registerQuery } from './commands/query-command.ts';
import { registerReport } from './commands/report-command.ts';
import { registerRun } from './commands/run-command.ts';
import { registerRuns } from './commands/runs-command.ts';
import { registerStatus } from './commands/status-command.ts';
import { registerServe } from './commands/serve-command.ts';
import { registerTrigger } from './commands/trigger-command.ts';
import { registerBackfill } from './commands/backfill-command.ts';
import { registerDlq } from './commands/dlq-command.ts';
import { registerSimulate } from './commands/simulate-command.ts';
import { registerMockApi } from './commands/mock-api-command.ts';
import { registerWorker } from './commands/worker-command.ts';
import { registerModels } from './commands/models-command.ts';
import { registerTest } from './commands/test-command.ts';
import { registerInit } from './commands/init-command.ts';
import { EXIT, reportError } from './output.ts';

const program = new Command()
  .name('shoplake')
  .description('retail analytics lakehouse: landing files -> bronze -> silver -> gold -> warehouse')
  .showHelpAfterError()
  .exitOverride();

for (const register of [
  registerInit,
  registerGenerate,
  registerRun,
  registerQuery,
  registerStatus,
  registerCatalog,
  registerReport,
  registerDemo,
  registerDags,
  registerModels,
  registerTest,
  registerRuns,
  registerServe,
  registerTrigger,
  registerBackfill,
  registerDlq,
  registerSimulate,
  registerMockApi,
  registerWorker,
])
  register(program);

// A reader that stops early (`shoplake status | head`) closes the pipe: that ends the output, it is no failure.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
  throw err;
});

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else {
    process.exitCode = reportError(err, { json: process.argv.includes('--json') });
  }
}
