export { openStateStore, getKv, setKv } from './state-store.ts';
