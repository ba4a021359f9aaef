/** node-sql-parser's dialect names with the name users know. */
export type Dialect = {
  parser: string;
  label: string;
  formatter: 'postgresql' | 'mysql' | 'sqlite' | 'transactsql' | 'bigquery' | 'mariadb';
};

export const POSTGRES: Dialect = {
  parser: 'PostgresQL',
  label: 'PostgreSQL',
  formatter: 'postgresql',
};
export const MYSQL: Dialect = { parser: 'MySQL', label: 'MySQL', formatter: 'mysql' };
const NAMED: [RegExp, Dialect][] = [
  [/\bmaria\s*db\b/i, { parser: 'MariaDB', label: 'MariaDB', formatter: 'mariadb' }],
  [/\bmysql\b/i, MYSQL],
  [/\bpostgre(s|sql)?\b|\bpg\s*\d|\bpsql\b/i, POSTGRES],
  [/\bsqlite\b/i, { parser: 'Sqlite', label: 'SQLite', formatter: 'sqlite' }],
  [
    /\b(t-?sql|ms\s*sql|sql\s*server|transact-?sql)\b/i,
    { parser: 'TransactSQL', label: 'SQL Server', formatter: 'transactsql' },
  ],
  [/\bbig\s*query\b/i, { parser: 'BigQuery', label: 'BigQuery', formatter: 'bigquery' }],
];

/**
 * The dialects to try, in order: the one `database_context` names, else PostgreSQL then MySQL (the
 * statement is parsed with the first that accepts it).
 */
export function dialectsFor(context: string | null | undefined): Dialect[] {
  for (const [re, d] of NAMED) if (context && re.test(context)) return [d];
  return [POSTGRES, MYSQL];
}
