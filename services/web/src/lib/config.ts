/** Settings the gateway writes into index.html (`<meta name="rag-config">`). */
export type AppConfig = { google: boolean };

export function readConfig(doc: Document = document): AppConfig {
  const raw = doc.querySelector('meta[name="rag-config"]')?.getAttribute('content');
  try {
    const parsed = raw ? (JSON.parse(raw) as Partial<AppConfig>) : {};
    return { google: parsed.google === true };
  } catch {
    return { google: false };
  }
}

export const config = readConfig();
