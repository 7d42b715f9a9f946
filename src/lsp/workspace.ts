// The language server's documents and analyses, without I/O (the host reads files).
//
// Incremental by caching, keyed by text:
//   parses    one per file name, reused while the file's text is the same string; a new text
//             re-parses only the declarations that changed (reparse.ts);
//   analyses  one per entry (an open document), with every file it read and the text it got:
//             valid while each of those reads would give the same text again.
// So a request after no change does no analysis, and a change to one file re-analyzes the open
// documents that read it (that file and its dependents); their other files keep their parses.
import type { Analysis } from '../check/analyze.js';
import { analyze } from '../check/analyze.js';
import type { Loaded } from '../check/load.js';
import { dirname, join } from '../check/paths.js';
import type { ModelSpec } from '../check/spec.js';
import { sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import { SourceFile } from '../diagnostics/source.js';
import type { Graph } from '../ir/graph.js';
import { lower } from '../ir/lower.js';
import type { Parsed } from '../syntax/parse.js';
import { PieceParser } from './reparse.js';

export interface Host {
  /** A file's text from disk, or undefined when it cannot be read. */
  readFile(name: string): string | undefined;
  /** The names of the entries of a folder (empty when it cannot be read). */
  listDir?(dir: string): string[];
}

/** A model of an analysis, lowered on first use: a hover lowers only the model it shows. */
export class LoweredModel {
  private lowered: ReturnType<typeof lower> | undefined;

  constructor(readonly spec: ModelSpec) {}

  private get result(): ReturnType<typeof lower> {
    return (this.lowered ??= lower(this.spec));
  }

  /** Undefined when lowering reported an error. */
  get graph(): Graph | undefined {
    return this.result.graph;
  }

  get diagnostics(): readonly Diagnostic[] {
    return this.result.diagnostics;
  }
}

/** One entry's analysis, its models and what it read. */
export class EntryAnalysis {
  constructor(
    readonly entry: string,
    readonly analysis: Analysis,
    /** Every file read, with the text it had (undefined: missing). */
    readonly reads: ReadonlyMap<string, string | undefined>,
    readonly models: readonly LoweredModel[] = analysis.models.map((spec) => new LoweredModel(spec)),
  ) {}

  /** Analysis and lowering diagnostics, as the CLI reports them (this lowers every model). */
  get diagnostics(): Diagnostic[] {
    return sortDiagnostics([...this.analysis.diagnostics, ...this.models.flatMap((m) => m.diagnostics)]);
  }
}

export class Workspace {
  private readonly open = new Map<string, { text: string; version: number; touched: number }>();
  private readonly disk = new Map<string, string | undefined>();
  private readonly sources = new Map<string, SourceFile>();
  private readonly parses = new Map<string, { text: string; parsed: Parsed }>();
  private readonly parsers = new Map<string, PieceParser>();
  private readonly analyses = new Map<string, EntryAnalysis>();
  private readonly folders = new Map<string, string[]>();
  private clock = 0;
  /** Analyses and parses run so far (a cache hit runs none), for tests and the benchmark. */
  analysesRun = 0;
  parsesRun = 0;

  constructor(private readonly host: Host) {}

  openDocument(name: string, text: string, version: number): void {
    this.open.set(name, { text, version, touched: ++this.clock });
  }

  changeDocument(name: string, text: string, version: number): void {
    this.open.set(name, { text, version, touched: ++this.clock });
  }

  closeDocument(name: string): void {
    this.open.delete(name);
    this.analyses.delete(name);
    this.disk.delete(name);
  }

  /** The file changed on disk (or may have): read it again when next needed. */
  diskChanged(name: string): void {
    this.disk.delete(name);
    this.folders.clear();
  }

  /** Marks a document as the one the user looks at, for `contexts`. */
  touch(name: string): void {
    const doc = this.open.get(name);
    if (doc) doc.touched = ++this.clock;
  }

  isOpen(name: string): boolean {
    return this.open.has(name);
  }

  openNames(): string[] {
    return [...this.open.keys()];
  }

  /** The current text: the editor's for an open document, else the disk's. */
  text(name: string): string | undefined {
    const doc = this.open.get(name);
    if (doc) return doc.text;
    if (!this.disk.has(name)) this.disk.set(name, this.host.readFile(name));
    return this.disk.get(name);
  }

  /** The current text as a SourceFile (its line index is built once per text). */
  source(name: string): SourceFile | undefined {
    const text = this.text(name);
    if (text === undefined) return undefined;
    const hit = this.sources.get(name);
    if (hit && hit.text === text) return hit;
    const source = new SourceFile(name, text);
    this.sources.set(name, source);
    return source;
  }

  /** The parse of a file's current text, cached by text. */
  parsed(source: SourceFile): Parsed {
    const hit = this.parses.get(source.name);
    if (hit && hit.text === source.text) return hit.parsed;
    let parser = this.parsers.get(source.name);
    if (!parser) {
      parser = new PieceParser();
      this.parsers.set(source.name, parser);
    }
    const parsed = parser.parse(source);
    this.parsesRun++;
    this.parses.set(source.name, { text: source.text, parsed });
    return parsed;
  }

  /** The analysis of `name` as an entry, reusing the last one while nothing it read has changed. */
  analysis(name: string): EntryAnalysis | undefined {
    const cached = this.analyses.get(name);
    if (cached && this.fresh(cached)) return cached;
    const text = this.text(name);
    if (text === undefined) return undefined;
    const reads = new Map<string, string | undefined>([[name, text]]);
    const readFile = (path: string): string | undefined => {
      const t = this.text(path);
      reads.set(path, t);
      return t;
    };
    const analysis = analyze(this.source(name)!, readFile, { parse: (s) => this.parsed(s) });
    this.analysesRun++;
    const result = new EntryAnalysis(name, analysis, reads);
    this.analyses.set(name, result);
    return result;
  }

  /** Analyses of every open document (re-run where stale), the most recently touched first. */
  openAnalyses(): EntryAnalysis[] {
    const names = [...this.open.entries()].sort((a, b) => b[1].touched - a[1].touched).map(([n]) => n);
    return names.map((n) => this.analysis(n)).filter((a): a is EntryAnalysis => a !== undefined);
  }

  /**
   * Analyses in which `file` takes part: its own first, then the open documents that read it,
   * most recently touched first. Family statements get their figures from these models. When
   * no open document reads it (a library opened alone), the first spec beside it or in the
   * folder above that uses it and has models.
   */
  contexts(file: string): EntryAnalysis[] {
    const own = this.analysis(file);
    const others = this.openAnalyses().filter((a) => a.entry !== file && a.reads.has(file));
    if (others.length === 0 && !own?.models.length) {
      const near = this.neighbours(file).map((n) => this.analysis(n)).find((a) => a && a.reads.has(file) && a.models.length > 0);
      if (near) others.push(near);
    }
    return own ? [own, ...others] : others;
  }

  /** The .dense files in the folder of `file` and the one above, sorted (cached until a disk change). */
  private neighbours(file: string): string[] {
    const list = this.host.listDir;
    if (!list) return [];
    const here = dirname(file);
    const folders = [...new Set([here, dirname(here)])].filter((d) => d !== '');
    return folders.flatMap((d) => {
      let names = this.folders.get(d);
      if (!names) {
        names = list(d).filter((n) => n.endsWith('.dense')).sort().map((n) => join(d, n));
        this.folders.set(d, names);
      }
      return names.filter((n) => n !== file);
    });
  }

  /** The loaded file `name` inside an analysis. */
  static loaded(a: EntryAnalysis, name: string): Loaded | undefined {
    return a.analysis.program.files.find((f) => f.source.name === name);
  }

  private fresh(a: EntryAnalysis): boolean {
    for (const [path, text] of a.reads) if (this.text(path) !== text) return false;
    return true;
  }
}
