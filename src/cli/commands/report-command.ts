import type { Command } from 'commander';
import { RunSummaries } from '../../pipeline/index.ts';
import { configFor, withCommonOptions, type CommonOptions } from '../common-options.ts';
import { readHome } from '../server-client.ts';
import { printJson, printTable } from '../output.ts';

export function registerReport(program: Command): void {
  withCommonOptions(
    program
      .command('report')
      .description('data-quality report: rejects by reason, orphans, invalid emails, duplicates, test warnings'),
  ).action(async (opts: CommonOptions) => {
    const config = await configFor(opts);
    const { report, failingTests: tests } = await readHome(config, '/api/quality', (state) =>
      new RunSummaries(state).lastQuality(),
    );
    if (opts.json) return printJson({ report, failingTests: tests });
    if (!report) {
      process.stdout.write('no successful run yet: nothing to report\n');
      return;
    }
    const out = (s = '') => process.stdout.write(s + '\n');
    out(`files: ${report.files.ingested} ingested, ${report.files.duplicateDeliveries} duplicate deliveries skipped`);
    out('\nquarantined files by reason:');
    printTable(Object.entries(report.files.quarantined).map(([reason, files]) => ({ reason, files })));
    out('\nrejected rows by reason and entity:');
    printTable(
      Object.entries(report.rejectedRows).flatMap(([reason, byEntity]) =>
        Object.entries(byEntity).map(([entity, rows]) => ({ reason, entity, rows })),
      ),
    );
    out('\norphans (kept, pointing at the unknown member):');
    printTable([
      { kind: 'order lines with an unknown customer', rows: report.orphans.customer },
      { kind: 'order lines with an unknown product', rows: report.orphans.product },
      { kind: 'order lines with an unknown store', rows: report.orphans.store },
      { kind: 'orders without lines', rows: report.orphans.ordersWithoutItems },
      { kind: 'lines without an order (not in fact_orders)', rows: report.orphans.itemsWithoutOrder },
    ]);
    out(`\ninvalid emails (kept as null): ${report.invalidEmails}`);
    out('\nduplicates collapsed in silver:');
    printTable(
      Object.entries(report.duplicates).map(([entity, d]) => ({
        entity,
        exact_duplicates: d.exactDuplicates,
        superseded_versions: d.supersededVersions,
      })),
    );
    out('\ndata tests not passing in the last successful run:');
    printTable(tests);
  });
}
