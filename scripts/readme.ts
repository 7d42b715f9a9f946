// `npm run readme`: rewrites README.md's generated figures (scripts/readme-figures.ts).
import fs from 'node:fs';
import path from 'node:path';
import { allFigures, replaceBlocks } from './readme-figures.js';

const root = path.resolve(import.meta.dirname, '../..');
const file = path.join(root, 'README.md');
const before = fs.readFileSync(file, 'utf8');
const after = replaceBlocks(before, allFigures(root));
if (after !== before) fs.writeFileSync(file, after);
process.stdout.write(after === before ? 'README.md: figures unchanged\n' : 'README.md: figures rewritten\n');
