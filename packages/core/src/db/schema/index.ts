export * from './core';
export * from './auth';
export * from './documents';
export * from './pgvector-index';
export * from './conversations';
export * from './email-sync';
export * from './jobs';
