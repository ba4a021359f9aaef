import type { Dialect } from '../domain/sql-analysis/dialect';
import type { StatementReview } from '../domain/sql-analysis/review-statement';

/** Where the CPU-bound part of `sql.analyze` runs (parse, findings, rewrite): off the request thread. */
export type SqlReviewer = {
  review(sql: string, dialects: Dialect[]): Promise<StatementReview>;
  close(): Promise<void>;
};
