/**
 * The import rules `npm run lint` holds: no cycle, and every folder of src/ imports only
 * folders below it in the data flow (ARCHITECTURE.md draws it). A new folder must be
 * placed in LAYERS before it can import anything.
 */
const LAYERS = [
  'errors', // one base error, the code registry
  'common', // the graph, progress events, throttle: used by several stages
  'duck', // DuckDB sessions: every stage computes through them
  'contract', // the data contract as code
  'state', // the state store's interface, kv, the job queue
  'lake', // the lake on disk and on S3
  'dag', // the generic DAG engine
  'ledger', // the file ledger: every question about ingested files
  'catalog', // schema catalog
  'generate', // synthetic landing data
  'ingest', // landing and stream -> bronze
  'quality', // data tests and the quality report
  'transform', // bronze -> silver -> gold models
  'warehouse', // the warehouse and reader interfaces
  'live', // the speed layer
  'engines', // DuckDB and PostgreSQL adapters: state, run store, warehouse, reader
  'pipeline', // shoplake's daily run
  'home', // the owner of a home: orchestrator, scheduler, watcher, alerts
  'serve', // the HTTP server
  'config', // assembles each stage's config schema
  'cli', // one file per command
];
const folder = (names) => `^src/(${names.join('|')})/`;

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Files that import each other in a loop: move what both need below them.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...LAYERS.slice(0, -1).map((layer, i) => ({
      name: `${layer}-imports-upward`,
      comment: `src/${layer}/ may import only folders below it: ${LAYERS.slice(0, i).join(', ') || 'none'}.`,
      severity: 'error',
      from: { path: folder([layer]) },
      to: { path: folder(LAYERS.slice(i + 1)) },
    })),
    {
      name: 'engine-imports-engine',
      comment: 'Each engine folder stands alone (one per engine, the same file set).',
      severity: 'error',
      from: { path: '^src/engines/([^/]+)/' },
      to: { path: '^src/engines/', pathNot: '^src/engines/$1/' },
    },
    {
      name: 'unplaced-folder',
      comment: 'A folder of src/ not in LAYERS (.dependency-cruiser.cjs): place it in the flow.',
      severity: 'error',
      from: { path: '^src/', pathNot: [folder(LAYERS), '^src/index\\.ts$'] },
      to: {},
    },
  ],
  options: {
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['node_modules', '\\.test\\.ts$'] },
  },
};
