import { Router, type Express } from 'express';

/**
 * Interactive docs at /docs, served entirely from the package (works offline). The OpenAPI document is
 * built on its first request: rendering every route's zod schemas is ~0.3 s that start-up need not pay.
 */
export function mountDocs(app: Express, build: () => object) {
  let document: object | undefined;
  app.get('/openapi.json', (_req, res) => {
    document ??= build();
    res.json(document);
  });
  // serveFiles writes swagger-ui-init.js from its own options, so both get the same ones
  // (options given only to setup() never reach the page).
  const options = {
    customSiteTitle: 'RAG API docs',
    swaggerOptions: { url: '/openapi.json', persistAuthorization: true },
  };
  // swagger-ui-express loads with the first /docs request (it is ~0.15 s of every start-up otherwise).
  let docs: Promise<Router> | undefined;
  const load = async () => {
    const { default: swaggerUi } = await import('swagger-ui-express');
    return Router().use(
      swaggerUi.serveFiles(undefined, options),
      swaggerUi.setup(undefined, options),
    );
  };
  app.use('/docs', (req, res, next) => {
    docs ??= load();
    docs.then((router) => router(req, res, next), next);
  });
}
