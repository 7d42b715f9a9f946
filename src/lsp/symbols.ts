// Document symbols (models, families with their parameters, constants) and formatting, which is
// `densec fmt` (src/format) as one edit over the whole document; none for a file that does not
// parse, as fmt refuses it too.
import type { DocumentSymbol, TextEdit } from 'vscode-languageserver';
import { SymbolKind } from 'vscode-languageserver';
import { format } from '../format/format.js';
import { printExpr } from '../format/expr.js';
import { rangeOf } from './convert.js';
import type { Workspace } from './workspace.js';

export function documentSymbols(ws: Workspace, name: string): DocumentSymbol[] {
  const source = ws.source(name);
  if (!source) return [];
  const ast = ws.parsed(source).file;
  const symbol = (label: string, kind: SymbolKind, span: Parameters<typeof rangeOf>[1], nameSpan: typeof span, children?: DocumentSymbol[], detail?: string): DocumentSymbol => ({
    name: label,
    kind,
    range: rangeOf(source, span),
    selectionRange: rangeOf(source, nameSpan),
    ...(detail ? { detail } : {}),
    ...(children ? { children } : {}),
  });
  return ast.decls.flatMap((d): DocumentSymbol[] => {
    switch (d.kind) {
      case 'model':
        return [symbol(d.name.name, SymbolKind.Class, d.span, d.name.span, undefined, d.call ? `= ${d.call.callee.name}(...)` : undefined)];
      case 'family': {
        const params = d.params.map((p) => symbol(p.name.name, SymbolKind.Variable, p.span, p.name.span, undefined, p.default ? `= ${printExpr(p.default)}` : undefined));
        return [symbol(d.name.name, SymbolKind.Function, d.span, d.name.span, params)];
      }
      case 'const':
        return [symbol(d.name.name, SymbolKind.Constant, d.span, d.name.span, undefined, `= ${printExpr(d.value)}`)];
      default:
        return [];
    }
  });
}

export function formatting(ws: Workspace, name: string): TextEdit[] {
  const source = ws.source(name);
  if (!source) return [];
  const formatted = format(source);
  if (formatted.text === undefined || formatted.text === source.text) return [];
  return [{ range: rangeOf(source, { file: name, start: 0, end: source.text.length }), newText: formatted.text }];
}
