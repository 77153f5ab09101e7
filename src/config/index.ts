export { loadConfig, substituteEnv } from './load-config.ts';
export { ConfigSchema } from './config-schema.ts';
export type { ShoplakeConfig } from './config-schema.ts';
export { PROJECT_FILE } from './config-file.ts';
