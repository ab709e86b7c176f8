import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderBehaviourTable } from './render.js';

// Writes packages/integration/BEHAVIOUR.md: `npx tsx packages/integration/src/behaviour/write.ts`.
const target = fileURLToPath(new URL('../../BEHAVIOUR.md', import.meta.url));
writeFileSync(target, renderBehaviourTable());
process.stdout.write(`wrote ${target}\n`);
