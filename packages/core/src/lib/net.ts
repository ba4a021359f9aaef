import { isIP } from 'node:net';

/** True for 127.0.0.0/8, ::1 and IPv4-mapped loopback addresses. In-process callers (no IP) count. */
export function isLoopback(ip: string | null | undefined): boolean {
  if (ip === null || ip === undefined) return false;
  if (ip === 'in-process') return true;
  const addr = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  if (isIP(addr) === 4) return addr.startsWith('127.');
  return addr === '::1';
}

/** Express's `trust proxy`: off, how many proxies stand in front, or which addresses are proxies. */
export type TrustProxy = false | number | string[];

const PROXY_PRESETS = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** A `trust proxy` entry: a preset, an address, or an address with a prefix length. */
function validProxyEntry(entry: string): boolean {
  if (PROXY_PRESETS.has(entry)) return true;
  const [addr = '', prefix, ...rest] = entry.split('/');
  const family = isIP(addr);
  if (!family || rest.length) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * `TRUST_PROXY` as Express takes it: empty, `false` or `0` is off (the TCP peer is the client); a
 * number is that many proxies in front; otherwise a comma-separated list of the proxies' addresses,
 * subnets (`10.0.0.0/8`) or presets (`loopback`, `linklocal`, `uniquelocal`). `true` is refused: it
 * trusts every hop, so any client could name its own address in `X-Forwarded-For`.
 */
export function parseTrustProxy(value: string): TrustProxy | { error: string } {
  const v = value.trim();
  if (v === '' || v === 'false' || v === '0') return false;
  if (v === 'true')
    return {
      error:
        'true would trust every hop, so any client could choose its address; give the number of proxies or their addresses',
    };
  if (/^\d+$/.test(v)) return Number(v);
  const entries = v.split(',').map((e) => e.trim());
  const bad = entries.filter((e) => !validProxyEntry(e));
  if (bad.length) return { error: `not an address, subnet or preset: ${bad.join(', ')}` };
  return entries;
}
