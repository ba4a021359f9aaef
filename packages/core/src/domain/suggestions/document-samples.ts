import type { Deps } from '../../ports/deps';
import type { LlmSource } from '../../ports/llm';

const FILES_SAMPLED = 3;
const CHUNKS_PER_FILE = 3;

/**
 * A few representative passages of the user's most recent documents: for each file, the chunks closest
 * to its own name (what the document is about), searched inside that file only.
 */
export async function documentSamples(
  deps: Pick<Deps, 'files' | 'embedder' | 'vectorIndex'>,
  userId: string,
  signal?: AbortSignal,
): Promise<LlmSource[]> {
  const recent = await deps.files.listIndexed(userId, { limit: FILES_SAMPLED });
  if (recent.length === 0) return [];
  const names = recent.map((f) => f.filename.replace(/\.[^.]+$/, '').replace(/[_-]+/g, ' '));
  const vectors = await deps.embedder.embed(names, { kind: 'query', signal });
  const perFile = await Promise.all(
    recent.map((file, i) =>
      deps.vectorIndex.search({
        userId,
        mode: 'semantic',
        text: names[i] ?? file.filename,
        vector: vectors[i],
        filter: { fileIds: [file.id] },
        limit: CHUNKS_PER_FILE,
        alpha: 1,
      }),
    ),
  );
  return perFile.flat().map((hit) => ({
    filename: hit.chunk.filename,
    page: hit.chunk.page,
    pageLabel: hit.chunk.pageLabel,
    section: hit.chunk.section,
    content: hit.chunk.content,
    score: hit.score,
  }));
}
