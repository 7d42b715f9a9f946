// The VS Code extension in editors/vscode: its grammar and language configuration are copies of
// grammar/'s, and its manifest points at files that exist.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { root } from '../e2e/cli.js';

const ext = path.join(root, 'editors/vscode');
const json = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));
const manifest = json(path.join(ext, 'package.json'));

describe('editors/vscode', () => {
  test('the grammar and the language configuration are the same as in grammar/', () => {
    expect(fs.readFileSync(path.join(ext, 'syntaxes/dense.tmLanguage.json'), 'utf8')).toBe(fs.readFileSync(path.join(root, 'grammar/dense.tmLanguage.json'), 'utf8'));
    expect(fs.readFileSync(path.join(ext, 'language-configuration.json'), 'utf8')).toBe(fs.readFileSync(path.join(root, 'grammar/language-configuration.json'), 'utf8'));
  });

  test('the manifest contributes the dense language with files that exist', () => {
    const [language] = manifest.contributes.languages;
    const [grammar] = manifest.contributes.grammars;
    expect(language).toMatchObject({ id: 'dense', extensions: ['.dense'] });
    expect(fs.existsSync(path.join(ext, language.configuration))).toBe(true);
    expect(grammar.language).toBe('dense');
    expect(json(path.join(ext, grammar.path)).scopeName).toBe(grammar.scopeName);
    expect(fs.existsSync(path.join(ext, manifest.main))).toBe(true);
  });

  test('the client library is the extension\'s own dependency, pinned, not the compiler\'s', () => {
    expect(manifest.dependencies['vscode-languageclient']).toMatch(/^\d+\.\d+\.\d+$/);
    const rootManifest = json(path.join(root, 'package.json'));
    expect({ ...rootManifest.dependencies, ...rootManifest.devDependencies }).not.toHaveProperty('vscode-languageclient');
    expect(fs.readFileSync(path.join(ext, manifest.main), 'utf8')).toContain("'lsp'");
    expect(spawnSync(process.execPath, ['--check', path.join(ext, manifest.main)]).status).toBe(0);
  });
});
