import { z } from 'zod';

// The contract's error bodies as schemas: a test parses the JSON it received (typed, and exact where
// the contract is exact) and then asserts on the fields, instead of matching untyped values.

/** Exactly `{"detail": "<message>"}`. */
export const DetailBody = z.strictObject({ detail: z.string() });

/** FastAPI's 422: `{"detail": [{loc, msg, type}, …]}`. */
export const ValidationBody = z.looseObject({
  detail: z.array(
    z.looseObject({
      loc: z.array(z.union([z.string(), z.number()])),
      msg: z.string(),
      type: z.string(),
    }),
  ),
});

/** The documented `{status: "error", message}` bodies (delete filter, upload failures). */
export const StatusErrorBody = z.looseObject({ status: z.literal('error'), message: z.string() });
