export { generateLanding } from './generate-landing.ts';
export type { GenerateOptions, GenerateResult } from './generate-landing.ts';
export { startMockApi } from './mock-retail-api.ts';
export type { MockApi, MockApiOptions } from './mock-retail-api.ts';
export { LiveSimulator } from './live-simulator.ts';
export type { LiveRecord, SimulatorOptions } from './live-simulator.ts';
