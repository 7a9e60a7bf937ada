#!/usr/bin/env node
// The `mkondo` command: loads the TypeScript CLI through tsx's loader.
import { register } from 'tsx/esm/api';

register();
await import('../ops/cli.ts');
