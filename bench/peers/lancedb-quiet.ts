// LanceDB's native logger reads LANCEDB_LOG once, when the addon loads, and by default prints a
// deprecation warning per hybrid query (scores auto-projected); errors still show. Imported first.
process.env.LANCEDB_LOG ??= 'error';
