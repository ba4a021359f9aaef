import { describe, expect, it } from 'vitest';

import { diskFault, DiskMessages } from '@rag/core/testing';

const errno = (code: string, syscall: string) =>
  Object.assign(new Error(`${code}: ${syscall} '/data/x'`), { code, syscall, path: '/data/x' });

describe('diskFault (issue 10 item 17)', () => {
  it('a full disk is 507 with the plain message, wherever it sits in the cause chain', () => {
    for (const e of [
      errno('ENOSPC', 'write'),
      errno('EDQUOT', 'open'),
      new Error('wrapped', { cause: new Error('twice', { cause: errno('ENOSPC', 'write') }) }),
    ]) {
      const fault = diskFault(e)!;
      expect(fault.httpStatus).toBe(507);
      expect(fault.message).toBe(DiskMessages.full);
      expect(fault.message).not.toMatch(/ENOSPC|\/data/);
    }
  });

  it('a read-only, forbidden or vanished DATA_DIR is 503 saying so', () => {
    for (const e of [
      errno('EROFS', 'open'),
      errno('EACCES', 'mkdir'),
      errno('EPERM', 'rename'),
      errno('ENOENT', 'mkdir'),
      errno('ENOTDIR', 'open'),
      errno('ENOENT', 'statfs'),
    ]) {
      const fault = diskFault(e)!;
      expect(fault.httpStatus, e.message).toBe(503);
      expect(fault.message).toBe(DiskMessages.unwritable);
    }
  });

  it('anything else is not a disk fault', () => {
    expect(diskFault(errno('ENOENT', 'stat'))).toBeUndefined();
    expect(diskFault(errno('ECONNREFUSED', 'connect'))).toBeUndefined();
    expect(diskFault(new Error('plain'))).toBeUndefined();
    expect(diskFault(undefined)).toBeUndefined();
  });
});
