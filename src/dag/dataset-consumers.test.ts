import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineDag } from './dag-definition.ts';
import { datasetConsumers } from './dataset-consumers.ts';

const dag = (name: string, consumes: string[]) =>
  defineDag({ name, description: '', consumes, tasks: [{ name: 't', dependsOn: [], run: async () => undefined }] });

test('a refreshed dataset starts the DAGs consuming it by name or by prefix pattern, never its own DAG', () => {
  const dags = [
    dag('daily', ['gold.*']),
    dag('export', ['gold.mart_daily_revenue']),
    dag('everything', ['gold.*']),
    dag('silver_watch', ['silver.*']),
    dag('idle', []),
  ];
  assert.deepEqual(datasetConsumers(dags, 'daily', ['gold.mart_daily_revenue', 'gold.fact_orders']), [
    { dag: 'export', datasets: ['gold.mart_daily_revenue'] },
    { dag: 'everything', datasets: ['gold.mart_daily_revenue', 'gold.fact_orders'] },
  ]);
  assert.deepEqual(datasetConsumers(dags, 'daily', []), []);
  // `gold.*` does not match a dataset that merely starts with "gold".
  assert.deepEqual(datasetConsumers(dags, 'daily', ['golden.x']), []);
});
