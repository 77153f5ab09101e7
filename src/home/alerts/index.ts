export { AlertDispatcher } from './alert-dispatcher.ts';
export type { Alert, AlertEvent } from './alert.ts';
export { slackPayload } from './alert.ts';
export { AlertsConfigSchema } from './alerts-config.ts';
export type { AlertsConfig } from './alerts-config.ts';
