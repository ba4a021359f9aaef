// The ask benchmark's documents and questions (bench/ask.bench.ts, bench/ask-queries.ts): real corpus
// documents in English and Vietnamese, questions each of them answers.
export const ASK_DOCS = [
  'md/docling-wiki.md',
  'md/javascript-info-variables.md',
  'pdf/issue13201.pdf',
  'pdf/an_le_so_432021AL.pdf',
  'txt/rfc2616.txt',
];

export const ASK_QUESTIONS = [
  'When was IBM founded?',
  'Where is IBM headquartered?',
  'Để tạo biến trong JavaScript, sử dụng từ khóa nào?',
  'How does the network timestamp transactions?',
  'Bà L mua hai căn nhà đang thế chấp với giá bao nhiêu?',
  'What does the 404 status code mean?',
  'Biến là gì?',
  'Which company provided the DOS software of the IBM Personal Computer?',
];
