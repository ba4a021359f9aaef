import { describe, expect, it } from 'vitest';

import { EnvError, parseEnv } from '@rag/core';

describe('parseEnv', () => {
  it('applies the documented defaults with no configuration', () => {
    const env = parseEnv({});
    expect(env.PORT).toBe(8001);
    expect(env.HOST).toBe('0.0.0.0');
    expect(env.DATA_DIR).toBe('./data');
    expect(env.API_PREFIX).toBe('/api');
    expect(env.CORS_ORIGINS).toBe('*');
    expect(env.MAX_UPLOAD_MB).toBe(50);
    expect(env.CHUNK_SIZE).toBe(800);
    expect(env.CHUNK_OVERLAP).toBe(150);
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it('coerces numbers and normalises the prefix', () => {
    const env = parseEnv({ PORT: '9000', API_PREFIX: '/v2/' });
    expect(env.PORT).toBe(9000);
    expect(env.API_PREFIX).toBe('/v2');
  });

  it('treats empty strings as unset', () => {
    expect(parseEnv({ PORT: '', DATABASE_URL: '  ' }).PORT).toBe(8001);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['API_PREFIX', 'api'],
    ['JWT_SECRET', 'short'],
    ['OPENAI_BASE_URL', 'not a url'],
    ['LLM_TEMPERATURE', '9'],
    ['EMBEDDING_PROVIDER', 'magic'],
  ])('rejects a bad %s with a message naming the variable', (name, value) => {
    let error: unknown;
    try {
      parseEnv({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    expect((error as EnvError).message).toContain(name);
  });
});
