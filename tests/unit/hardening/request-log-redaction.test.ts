import type { AddressInfo } from 'node:net';

import express from 'express';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { redactUrl, requestLog } from '../../../services/gateway/src/request-log';
import { captureLog } from '../../support/test-app';

describe('redactUrl', () => {
  it.each([
    [
      '/trpc/x?connectionParams=%7B%7D&input=%7B%7D&batch=1',
      '/trpc/x?connectionParams=[redacted]&input=[redacted]&batch=1',
    ],
    [
      '/api/auth/callback?code=c&state=s&iss=i',
      '/api/auth/callback?code=[redacted]&state=[redacted]&iss=i',
    ],
    [
      '/p?Access-Token=1&refreshToken[]=2&NEW_PASSWORD=3&client_secret=4&api_key=5',
      '/p?Access-Token=[redacted]&refreshToken%5B%5D=[redacted]&NEW_PASSWORD=[redacted]&client_secret=[redacted]&api_key=[redacted]',
    ],
    // Names are compared decoded, as the server reads them.
    ['/p?%61ccess_token=x&inp%75t=y', '/p?access_token=[redacted]&input=[redacted]'],
    ['//evil/p?token=1', '//evil/p?token=[redacted]'],
    ['http://host/p?token=1', 'http://host/p?token=[redacted]'],
    // A fragment is never sent by clients and never routed: not logged.
    ['/a#access_token=x', '/a#[redacted]'],
    ['/a#b?token=1', '/a#[redacted]'],
    ['/a?page=2#access_token=x', '/a?page=2#[redacted]'],
  ])('%s → %s', (url, logged) => {
    expect(redactUrl(url)).toBe(logged);
  });

  it('leaves a URL without a secret exactly as received', () => {
    for (const url of [
      '/health',
      '/api/conversations?page=1&page_size=10',
      '/p?a=%ZZ&b=%%',
      '*',
      '',
    ])
      expect(redactUrl(url)).toBe(url);
  });

  it('never throws and never logs a secret value, whatever the query', () => {
    const secret = 'S3CR3T';
    const name = fc.constantFrom('token', 'input', 'connectionParams', 'code', 'password', 'x');
    const units = ['%', 'E0', 'A4', 'ZZ', '=', '+', '?', 'é', ' ', '[', ']'];
    const junk = fc.string({ unit: fc.constantFrom(...units) });
    const tail = fc.string({ unit: fc.constantFrom(...units, '&', '#') });
    fc.assert(
      fc.property(fc.array(fc.tuple(name, junk)), tail, (pairs, tail) => {
        const query = pairs.map(([n, j]) => `${n}=${j}${n === 'x' ? '' : secret}`).join('&');
        const logged = redactUrl(`/p?${query}&${tail}`);
        expect(logged.startsWith('/p?')).toBe(true);
        expect(logged).not.toContain(secret);
      }),
    );
    expect(redactUrl(undefined)).toBe('');
  });
});

describe('requestLog', () => {
  it('redacts Authorization and Cookie wherever headers are logged', async () => {
    const capture = captureLog('info');
    const app = express()
      .use(requestLog(capture.log))
      .get('/h', (req, res) => {
        req.log.info({ headers: req.headers }, 'headers seen');
        res.json({ ok: true });
      });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/h?token=t-77aa`, {
        headers: { authorization: 'Bearer tok-19fe', cookie: 'sid=ck-0c3d' },
      });
      expect(res.status).toBe(200);
      await capture.waitFor('request completed');
      const text = capture.text();
      expect(text).toContain('"url":"/h?token=[redacted]"');
      expect(text).toContain('"authorization":"[redacted]"');
      for (const secret of ['t-77aa', 'tok-19fe', 'ck-0c3d']) expect(text).not.toContain(secret);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
