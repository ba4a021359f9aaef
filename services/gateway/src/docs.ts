import type { Express } from 'express';
import swaggerUi from 'swagger-ui-express';

/** Interactive docs at /docs, served entirely from the package (works offline). */
export function mountDocs(app: Express, document: object) {
  app.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  // serveFiles writes swagger-ui-init.js from its own options, so both get the same ones
  // (options given only to setup() never reach the page).
  const options = {
    customSiteTitle: 'RAG API docs',
    swaggerOptions: { url: '/openapi.json', persistAuthorization: true },
  };
  app.use('/docs', swaggerUi.serveFiles(undefined, options), swaggerUi.setup(undefined, options));
}
