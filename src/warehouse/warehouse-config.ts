import { z } from 'zod';

/** The `warehouse` part of the config (assembled in src/config). */
export const WarehouseConfigSchema = z
  .object({
    /**
     * Gold is always published to the embedded DuckDB file under home (what the server
     * reads). A `postgres://` URL publishes it to that PostgreSQL database too.
     */
    url: z
      .string()
      .regex(/^(duckdb|postgres(ql)?:\/\/.+)$/, 'either "duckdb" or a postgres:// URL')
      .default('duckdb'),
    /** The PostgreSQL schema gold is published to (staged in `<schema>__staging`, applied in one transaction). */
    schema: z
      .string()
      .regex(/^[a-z_][a-z0-9_]*$/, 'a lower-case SQL identifier')
      .default('gold'),
    /**
     * What the web app and `shoplake query` read: `auto` is the PostgreSQL warehouse
     * when `url` is one, else the embedded file; `embedded` is always the embedded file.
     * The streaming live overlay is laid over both (in PostgreSQL as `<schema>_live`).
     */
    read: z.enum(['auto', 'embedded']).default('auto'),
    /**
     * Connections a PostgreSQL publish copies tables and builds indexes on side by side
     * (one more holds the publishing transaction). PostgreSQL parses a COPY and builds an
     * index on one core each, so about the database server's free cores.
     */
    connections: z.number().int().min(1).max(32).default(2),
  })
  .strict()
  .default({ url: 'duckdb', schema: 'gold', read: 'auto', connections: 2 });
export type WarehouseConfig = z.infer<typeof WarehouseConfigSchema>;
