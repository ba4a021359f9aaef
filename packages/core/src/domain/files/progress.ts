// The progress types live with their port; this keeps the files domain's old import path.
export type { IngestProgress, IngestStage } from '../../ports/progress-bus';
