export { LakeLayout } from './lake-layout.ts';
export { writeAtomically, replaceDirectory, recoverSwap } from './atomic-write.ts';
export { exportZone } from './export-zone.ts';
export { unloadPartition } from './unload-partition.ts';
export type { UnloadTable } from './unload-partition.ts';
