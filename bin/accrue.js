#!/usr/bin/env node
// The `accrue` command. The source is TypeScript, run through tsx: no build step to forget.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
