import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { toValidationDetails } from '../../../services/gateway/src/rest/validation';

const Schema = z.object({
  email: z.email(),
  password: z.string().min(1),
  page: z.number().int().min(1).optional(),
  search_type: z.enum(['semantic', 'keyword', 'hybrid']).optional(),
});

function details(input: unknown) {
  const r = Schema.safeParse(input);
  if (r.success) throw new Error('expected a failure');
  return toValidationDetails(r.error.issues, 'body', input);
}

describe('FastAPI-style 422 details', () => {
  it('reports missing fields as pydantic does', () => {
    expect(details({})).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ loc: ['body', 'email'], msg: 'Field required', type: 'missing' }),
        expect.objectContaining({
          loc: ['body', 'password'],
          msg: 'Field required',
          type: 'missing',
        }),
      ]),
    );
  });

  it('reports wrong types, bad e-mails, ranges and enums', () => {
    const d = details({ email: 'nope', password: 5, page: 0, search_type: 'fuzzy' });
    const byField = Object.fromEntries(d.map((x) => [String(x.loc[1]), x]));
    expect(byField.email).toMatchObject({ type: 'value_error' });
    expect(byField.password).toMatchObject({
      type: 'string_type',
      msg: 'Input should be a valid string',
    });
    expect(byField.page).toMatchObject({ type: 'greater_than_equal' });
    expect(byField.search_type).toMatchObject({ type: 'enum' });
    expect(byField.search_type?.msg).toContain("'hybrid'");
  });
});
