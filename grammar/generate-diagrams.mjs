// Writes grammar/diagrams.html: railroad diagrams of the live parser (run after `npm run build`).
// The scripts and CSS are local copies from node_modules/chevrotain/diagrams/ (never a CDN).
import { writeFileSync } from 'node:fs';
import { createSyntaxDiagramsCode } from 'chevrotain';
import { parser } from '../dist/src/syntax/parser.js';

const html = createSyntaxDiagramsCode(parser.getSerializedGastProductions(), {
  resourceBase: './diagrams/',
  css: './diagrams/diagrams.css',
});
writeFileSync(new URL('./diagrams.html', import.meta.url), html);
console.log('wrote grammar/diagrams.html');
