#!/usr/bin/env node
// The CLI is TypeScript run through tsx's loader, so there is no build step between
// a checkout and a working `npx shoplake`.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
