/**
 * `sre-ops-assistant/http`: the HTTP service for embedding (`startHttpServer`, `createHttpApp`,
 * ...; see http-server.ts). It needs the optional packages koa, @koa/router, @koa/bodyparser,
 * pino and zod: this entry checks them all before loading the service, so a missing set is named
 * in one error (Node's own would name only the first package it failed to find).
 */
import { HTTP_PACKAGES, requirePackages } from './optional-packages.js';

requirePackages('sre-ops-assistant/http', HTTP_PACKAGES);
const http = await import('./http-server.js');

export type * from './http-server.js';
export const { createHttpApp, DEFAULT_PORT, resolveSettings, ListenError, listenError, startHttpServer, assistantOptionsFrom, runHttpService, serveService, main } = http;
