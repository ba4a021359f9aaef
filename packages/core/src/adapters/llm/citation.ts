import type { Language, LlmSource } from '../../ports/llm';

/** The contract's citation: "(trang X, <file>)" for paged documents, "(file <file>)" otherwise. */
export function citation(source: Pick<LlmSource, 'filename' | 'page' | 'pageLabel'>): string {
  const page = source.pageLabel ?? (source.page === null ? null : String(source.page));
  return page ? `(trang ${page}, ${source.filename})` : `(file ${source.filename})`;
}

/** Said when the documents hold nothing that answers the question. */
export function notFoundSentence(language: Language): string {
  return language === 'vi'
    ? 'Tài liệu đã chọn không chứa thông tin để trả lời câu hỏi này.'
    : 'The selected documents do not contain information that answers this question.';
}

export function answerLead(language: Language): string {
  return language === 'vi' ? 'Theo tài liệu:' : 'According to the documents:';
}
