import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

import { afterEach, describe, expect, it } from 'vitest';

import { createDiskBlobStore } from '../../../packages/core/src/adapters/storage/disk-blob-store';

const dirs: string[] = [];
const store = () => {
  const dir = mkdtempSync(join(tmpdir(), 'blobs-'));
  dirs.push(dir);
  return { dir, blobs: createDiskBlobStore(dir) };
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('disk blob store, bytes already in memory', () => {
  it('stores the bytes with the same size and sha256 as a streamed write', async () => {
    const { blobs } = store();
    const bytes = Buffer.from('xin chào, một tài liệu nhỏ\n'.repeat(50), 'utf8');
    const direct = await blobs.write('u/a.md', bytes, { maxBytes: 1 << 20 });
    const streamed = await blobs.write('u/b.md', Readable.from([bytes]), { maxBytes: 1 << 20 });
    expect(direct.size).toBe(bytes.length);
    expect(direct.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(direct.sha256).toBe(streamed.sha256);
    expect(readFileSync(blobs.path('u/a.md')).equals(bytes)).toBe(true);
  });

  it('refuses bytes over the cap and leaves nothing behind', async () => {
    const { dir, blobs } = store();
    await expect(
      blobs.write('u/big.bin', new Uint8Array(2048), { maxBytes: 1024 }),
    ).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    // No blob and no temp file (the key's folder may exist, as after a streamed refusal).
    expect(readdirSync(join(dir, 'u'))).toEqual([]);
  });
});
