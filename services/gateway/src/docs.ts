import type { Express } from 'express';
import swaggerUi from 'swagger-ui-express';

/** Interactive docs at /docs, served entirely from the package (works offline). */
export function mountDocs(app: Express, document: object) {
  app.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  app.use(
    '/docs',
    swaggerUi.serveFiles(undefined, { swaggerUrl: '/openapi.json' }),
    swaggerUi.setup(undefined, {
      customSiteTitle: 'RAG API docs',
      swaggerOptions: { url: '/openapi.json', persistAuthorization: true },
    }),
  );
}
