/**
 * One text file being scanned, with what every rule needs: its path, content, a lower-cased copy
 * for case-insensitive prefilters, and offset → line/column mapping built only when a rule asks.
 */
export class SourceFile {
  #lowerText: string | undefined;
  #lineStarts: number[] | undefined;

  constructor(
    /** Path relative to the scan root, forward slashes. */
    readonly path: string,
    readonly text: string,
  ) {}

  /** The file's name without folders. */
  get baseName(): string {
    const slash = this.path.lastIndexOf('/');
    return slash < 0 ? this.path : this.path.slice(slash + 1);
  }

  /** The lower-cased extension including the dot (`.ts`), or '' when there is none. */
  get extension(): string {
    const name = this.baseName;
    const dot = name.lastIndexOf('.');
    return dot <= 0 ? '' : name.slice(dot).toLowerCase();
  }

  get lowerText(): string {
    this.#lowerText ??= this.text.toLowerCase();
    return this.#lowerText;
  }

  /** 1-based line and column of a character offset. */
  position(offset: number): { readonly line: number; readonly column: number } {
    const starts = this.#starts();
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - (starts[low] ?? 0) + 1 };
  }

  /** The text of a 1-based line, without its line break. */
  lineText(line: number): string {
    const starts = this.#starts();
    const start = starts[line - 1] ?? this.text.length;
    const next = starts[line];
    const end = next === undefined ? this.text.length : next - 1;
    return this.text.slice(start, end).replace(/\r$/, '');
  }

  /** Offset of the first character of a 1-based line. */
  offsetOfLine(line: number): number {
    return this.#starts()[line - 1] ?? this.text.length;
  }

  /** How many lines the file has. */
  get lineCount(): number {
    return this.#starts().length;
  }

  /** The line's text before a character offset (to tell comments and definitions from calls). */
  linePrefix(offset: number): string {
    const { line } = this.position(offset);
    const start = this.#starts()[line - 1] ?? 0;
    return this.text.slice(start, offset);
  }

  #starts(): number[] {
    if (this.#lineStarts === undefined) {
      const starts = [0];
      let index = this.text.indexOf('\n');
      while (index !== -1) {
        starts.push(index + 1);
        index = this.text.indexOf('\n', index + 1);
      }
      this.#lineStarts = starts;
    }
    return this.#lineStarts;
  }
}
