/**
 * Re-renders `results/<name>.md` and `.svg` from `results/<name>.json` (after a change to the report or the
 * chart, without measuring again): `node --import tsx src/render.ts [name]` (default `latest`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chartSvg } from './chart.js';
import { markdownReport } from './markdown.js';
import type { BenchResults } from './results.js';

const name = process.argv[2] ?? 'latest';
const base = fileURLToPath(new URL(`../results/${name}`, import.meta.url));
const results = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as BenchResults;
writeFileSync(`${base}.md`, markdownReport(results));
writeFileSync(`${base}.svg`, chartSvg(results));
console.log(`rendered results/${name}.md and .svg`);
