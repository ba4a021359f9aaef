export { analyzeSql } from './analyze-sql';
export { SQLAnalysisRequest, SQLAnalysisResponse } from './schemas';
export { statementFindings, type Finding } from './findings';
export { parseSql, SqlSyntaxError, SqlTooComplexError } from './parse-sql';
export { dialectsFor } from './dialect';
