export { categoryStats } from './category-stats';
export { fileIdsInCategories } from './scope';
export { AskCategory, askCategories, narrowToCategories } from './ask-scope';
export { CategoryStatsResponse } from './schemas';
