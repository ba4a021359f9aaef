/**
 * Migrations are kept per domain (own folder, own journal table) so each domain's schema evolves
 * independently. `pgvector-index` runs only when the pgvector index is the active vector index,
 * because plain Postgres installations (and Qdrant deployments) have no `vector` extension.
 */
export const MIGRATION_DOMAINS = [
  'core',
  'auth',
  'documents',
  'conversations',
  'email-sync',
  'pgvector-index',
  'jobs',
] as const;
export type MigrationDomain = (typeof MIGRATION_DOMAINS)[number];
