export { startServer } from './start-server.ts';
export type { RunningServer, ServeOptions } from './start-server.ts';
export { findServer, serverInfoPath } from './server-info.ts';
export type { ServerInfo } from './server-info.ts';
export { httpStatusOf } from './api-error.ts';
export { openWarehouseReader, readsPostgres } from './open-warehouse-reader.ts';
export { ServerConfigSchema } from './server-config.ts';
export type { ServeConfig, ServerConfig } from './server-config.ts';
