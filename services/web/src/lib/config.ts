/** Settings the gateway writes into index.html (`<meta name="rag-config">`). */
/** `api_prefix`: where the REST routes live (API_PREFIX), for the binary routes tRPC cannot carry. */
export type AppConfig = { google: boolean; api_prefix: string };

export function readConfig(doc: Document = document): AppConfig {
  const raw = doc.querySelector('meta[name="rag-config"]')?.getAttribute('content');
  try {
    const parsed = raw ? (JSON.parse(raw) as Partial<AppConfig>) : {};
    const prefix = typeof parsed.api_prefix === 'string' ? parsed.api_prefix : '/api';
    return { google: parsed.google === true, api_prefix: prefix === '/' ? '' : prefix };
  } catch {
    return { google: false, api_prefix: '/api' };
  }
}

export const config = readConfig();
