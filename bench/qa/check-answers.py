"""Checks every accepted answer of questions.jsonl against text extracted WITHOUT our parser
(poppler's pdftotext per page, the raw word/document.xml of DOCX, the raw bytes of MD/TXT/SQL).
Usage: python3 bench/qa/check-answers.py  (needs poppler-utils and unzip)."""
import json, re, subprocess, sys, unicodedata, pathlib

CORPUS = pathlib.Path(__file__).resolve().parents[2] / '..' / 'shared' / 'corpus'

def norm(s):
    return re.sub(r'\s+', ' ', unicodedata.normalize('NFC', s)).lower()

def text(rel, page=None):
    path = CORPUS / rel
    if rel.endswith('.pdf'):
        args = ['pdftotext'] + (['-f', str(page), '-l', str(page)] if page else []) + [str(path), '-']
        return subprocess.run(args, capture_output=True, text=True).stdout
    if rel.endswith('.docx'):
        xml = subprocess.run(['unzip', '-p', str(path), 'word/document.xml'], capture_output=True, text=True).stdout
        return re.sub(r'<[^>]+>', '', re.sub(r'</w:p>', '\n', xml))
    return path.read_text(encoding='utf-8', errors='replace')

bad = 0
for line in open(pathlib.Path(__file__).with_name('questions.jsonl'), encoding='utf-8'):
    q = json.loads(line)
    accepts = q.get('accept') or q.get('accept_all') or []
    for a in accepts:
        pages = [q.get('page')] if len(q['files']) == 1 else [None]
        if not any(norm(a) in norm(text(f, p)) for f in q['files'] for p in pages):
            bad += 1
            print(f"{q['id']}: {a!r} not found in {q['files']} page {q.get('page')}")
print('all answers found in the independently extracted text' if not bad else f'{bad} missing')
sys.exit(1 if bad else 0)
