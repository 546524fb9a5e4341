#!/usr/bin/env node
import { keepHeapSmall } from './heap.js';

// before anything else is loaded: the flag also shapes how the code of the modules below is kept
keepHeapSmall(process.env);
const { processIo } = await import('./io.js');
const { runCli } = await import('./program.js');

process.exitCode = await runCli(process.argv.slice(2), processIo());
