import { z } from 'zod';
import type { AlertsConfig, HomeConfig } from '../home/index.ts';
import type { CollectorConfig } from '../live/index.ts';

/** The `server` part of the config (assembled in src/config). */
export const ServerConfigSchema = z
  .object({
    /** Address `shoplake serve` listens on; 127.0.0.1 keeps it to this machine. */
    host: z.string().default('127.0.0.1'),
    /** Port of `shoplake serve`; 0 picks a free one (written to <home>/server.json). */
    port: z.number().int().min(0).max(65535).default(7420),
    /** Largest file the web app's upload accepts, in MiB. */
    uploadLimitMb: z.number().positive().default(200),
  })
  .strict()
  .default({ host: '127.0.0.1', port: 7420, uploadLimitMb: 200 });
export type ServerConfig = z.infer<typeof ServerConfigSchema>;

/** The parts of the config `shoplake serve` reads (src/config assembles the whole). */
export interface ServeConfig extends HomeConfig {
  server: ServerConfig;
  collector: CollectorConfig;
  alerts: AlertsConfig;
}
