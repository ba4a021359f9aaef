/**
 * Tracks SQL lexical state line by line: single/double quotes, PostgreSQL dollar quotes, block comments
 * (nested, as in PostgreSQL) and line comments, so `;` inside any of them does not end a statement.
 */
export class SqlScanner {
  private quote: "'" | '"' | null = null;
  private dollarTag: string | null = null;
  private commentDepth = 0;

  atTopLevel(): boolean {
    return this.quote === null && this.dollarTag === null && this.commentDepth === 0;
  }

  /** Consumes one line; true when a statement ends on it (a top-level `;` with only comments/space after). */
  feedLine(line: string): boolean {
    let ended = false;
    for (let i = 0; i < line.length; i++) {
      const c = line.charAt(i);
      const next = line[i + 1];
      if (this.commentDepth > 0) {
        if (c === '*' && next === '/') {
          this.commentDepth--;
          i++;
        } else if (c === '/' && next === '*') {
          this.commentDepth++;
          i++;
        }
        continue;
      }
      if (this.quote) {
        if (c === this.quote) {
          if (next === this.quote)
            i++; // doubled quote = escaped
          else this.quote = null;
        }
        continue;
      }
      if (this.dollarTag !== null) {
        if (c === '$' && line.startsWith(this.dollarTag, i)) {
          i += this.dollarTag.length - 1;
          this.dollarTag = null;
        }
        continue;
      }
      if (c === '-' && next === '-') break;
      if (c === '/' && next === '*') {
        this.commentDepth = 1;
        i++;
        continue;
      }
      if (c === "'" || c === '"') {
        this.quote = c;
        ended = false;
        continue;
      }
      if (c === '$') {
        const tag = /^\$[A-Za-z_]?[A-Za-z0-9_]*\$/.exec(line.slice(i));
        if (tag) {
          this.dollarTag = tag[0];
          i += tag[0].length - 1;
          ended = false;
          continue;
        }
      }
      if (c === ';') ended = true;
      else if (!/\s/.test(c)) ended = false;
    }
    return ended && this.atTopLevel();
  }
}
