import { isIP } from 'node:net';

/** True for 127.0.0.0/8, ::1 and IPv4-mapped loopback addresses. In-process callers (no IP) count. */
export function isLoopback(ip: string | null | undefined): boolean {
  if (ip === null || ip === undefined) return false;
  if (ip === 'in-process') return true;
  const addr = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  if (isIP(addr) === 4) return addr.startsWith('127.');
  return addr === '::1';
}
