export { categoryStats } from './category-stats';
export { fileIdsInCategories, resolveFileFilter } from './scope';
export { CategoryStatsResponse } from './schemas';
