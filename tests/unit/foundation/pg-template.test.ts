import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { seedFromTemplate } from '../../../packages/core/src/db/pg-template';

let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));

function template() {
  root = mkdtempSync(join(tmpdir(), 'pg-template-'));
  const dir = join(root, 'template');
  mkdirSync(join(dir, 'base'), { recursive: true });
  writeFileSync(join(dir, 'PG_VERSION'), '18\n');
  writeFileSync(join(dir, 'base/1'), 'pages');
  return dir;
}

describe('seedFromTemplate (fresh DATA_DIR without initdb)', () => {
  it('copies the template into an absent data directory', () => {
    const tpl = template();
    const target = join(root, 'data/pg');
    mkdirSync(join(root, 'data'));
    expect(seedFromTemplate(target, tpl)).toBe(true);
    expect(readFileSync(join(target, 'base/1'), 'utf8')).toBe('pages');
  });

  it('copies into an empty one (the proxy creates it) and leaves no staging folder', () => {
    const tpl = template();
    const target = join(root, 'pg');
    mkdirSync(target);
    expect(seedFromTemplate(target, tpl)).toBe(true);
    expect(existsSync(join(target, 'PG_VERSION'))).toBe(true);
    expect(existsSync(`${target}.seeding-${process.pid}`)).toBe(false);
  });

  it('never touches a data directory that holds anything', () => {
    const tpl = template();
    const target = join(root, 'pg');
    mkdirSync(target);
    writeFileSync(join(target, 'PG_VERSION'), '17\n');
    expect(seedFromTemplate(target, tpl)).toBe(false);
    expect(readFileSync(join(target, 'PG_VERSION'), 'utf8')).toBe('17\n');
    expect(existsSync(join(target, 'base'))).toBe(false);
  });

  it('does nothing without a template (running from the TypeScript sources)', () => {
    template();
    const target = join(root, 'pg');
    expect(seedFromTemplate(target, join(root, 'missing'))).toBe(false);
    expect(existsSync(target)).toBe(false);
  });
});
