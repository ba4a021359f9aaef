import type { Language, LlmSource } from '../../ports/llm';

type Words = {
  page: (p: string, f: string) => string;
  lead: string;
  notFound: string;
  closest: string;
};

// The citation, lead and not-found sentence in each answer language. Vietnamese keeps the
// contract's "(trang X, <file>)"; the others use their own word for page.
const WORDS: Record<Language, Words> = {
  vi: {
    page: (p, f) => `(trang ${p}, ${f})`,
    lead: 'Theo tài liệu:',
    notFound: 'Tài liệu đã chọn không chứa thông tin để trả lời câu hỏi này.',
    closest: 'Nội dung gần nhất:',
  },
  en: {
    page: (p, f) => `(page ${p}, ${f})`,
    lead: 'According to the documents:',
    notFound: 'The selected documents do not contain information that answers this question.',
    closest: 'Closest sources:',
  },
  fr: {
    page: (p, f) => `(page ${p}, ${f})`,
    lead: 'Selon les documents :',
    notFound:
      'Les documents sélectionnés ne contiennent pas d’information qui réponde à cette question.',
    closest: 'Sources les plus proches :',
  },
  de: {
    page: (p, f) => `(Seite ${p}, ${f})`,
    lead: 'Laut den Dokumenten:',
    notFound:
      'Die ausgewählten Dokumente enthalten keine Informationen, die diese Frage beantworten.',
    closest: 'Nächstliegende Quellen:',
  },
  es: {
    page: (p, f) => `(página ${p}, ${f})`,
    lead: 'Según los documentos:',
    notFound: 'Los documentos seleccionados no contienen información que responda a esta pregunta.',
    closest: 'Fuentes más cercanas:',
  },
  pt: {
    page: (p, f) => `(página ${p}, ${f})`,
    lead: 'De acordo com os documentos:',
    notFound: 'Os documentos selecionados não contêm informações que respondam a esta pergunta.',
    closest: 'Fontes mais próximas:',
  },
  ru: {
    page: (p, f) => `(стр. ${p}, ${f})`,
    lead: 'Согласно документам:',
    notFound: 'Выбранные документы не содержат информации, отвечающей на этот вопрос.',
    closest: 'Ближайшие источники:',
  },
  zh: {
    page: (p, f) => `(第${p}页, ${f})`,
    lead: '根据文档：',
    notFound: '所选文档没有包含回答此问题的信息。',
    closest: '最接近的来源：',
  },
  ja: {
    page: (p, f) => `(${p}ページ, ${f})`,
    lead: '文書によると：',
    notFound: '選択された文書には、この質問に答える情報が含まれていません。',
    closest: '最も近い出典：',
  },
  ko: {
    page: (p, f) => `(${p}페이지, ${f})`,
    lead: '문서에 따르면:',
    notFound: '선택한 문서에는 이 질문에 답하는 정보가 포함되어 있지 않습니다.',
    closest: '가장 가까운 출처:',
  },
};

/** "(trang X, <file>)" (in the answer's language) for paged documents, "(file <file>)" otherwise. */
export function citation(
  source: Pick<LlmSource, 'filename' | 'page' | 'pageLabel'>,
  language: Language = 'vi',
): string {
  const page = source.pageLabel ?? (source.page === null ? null : String(source.page));
  return page ? WORDS[language].page(page, source.filename) : `(file ${source.filename})`;
}

/** Said when the documents hold nothing that answers the question. */
export function notFoundSentence(language: Language): string {
  return WORDS[language].notFound;
}

/** The not-found sentence followed by the closest sources' citations, so the user knows where to look. */
export function notFoundAnswer(language: Language, closest: string[]): string {
  const unique = [...new Set(closest)].slice(0, 3);
  return unique.length
    ? `${WORDS[language].notFound} ${WORDS[language].closest} ${unique.join(' ')}`
    : WORDS[language].notFound;
}

export function answerLead(language: Language): string {
  return WORDS[language].lead;
}

/** The language's name, for prompts. */
export const LANGUAGE_NAME: Record<Language, string> = {
  vi: 'Vietnamese',
  en: 'English',
  fr: 'French',
  de: 'German',
  es: 'Spanish',
  pt: 'Portuguese',
  ru: 'Russian',
  zh: 'Chinese',
  ja: 'Japanese',
  ko: 'Korean',
};
