import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createExpressApp } from './app-express.js';
import { createFastifyListener } from './app-fastify.js';
import { createHonoListener } from './app-hono.js';
import { createKoaApp } from './app-koa.js';
import type { AppParts } from './app-parts.js';
import type { SiteConfig } from './config.js';
import { createEngine } from './stores.js';

/** A started site. */
export interface RunningSite {
  /** `http://host:port/`, with the port actually bound. */
  url: string;
  config: SiteConfig;
  parts: AppParts;
  /** Stops accepting connections, ends the open ones, then closes the engine's clients. */
  close(): Promise<void>;
}

/** How often expired sessions are swept on engines that do not expire them natively (file, db). */
const SWEEP_EVERY_MS = 60 * 60 * 1000;

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** Builds the engine and the app `config` asks for, and listens. */
export async function startSite(config: SiteConfig): Promise<RunningSite> {
  const engine = await createEngine(config.engine, config.env, config.compat);
  const parts: AppParts = {
    engine,
    info: { engine: engine.name, where: engine.where, framework: config.framework },
  };
  let server: Server;
  let address: AddressInfo;
  try {
    const listener: RequestListener =
      config.framework === 'express'
        ? createExpressApp(parts)
        : config.framework === 'hono'
          ? createHonoListener(parts)
          : config.framework === 'fastify'
            ? await createFastifyListener(parts)
            : createKoaApp(parts).callback();
    server = createServer(listener);
    address = await listen(server, config.port, config.host);
  } catch (error) {
    await engine.close();
    throw error;
  }
  const sweep = engine.clearExpired;
  const timer = sweep
    ? setInterval(() => {
        sweep().catch((error: unknown) =>
          console.error('locallibrary: sweeping expired sessions failed', error),
        );
      }, SWEEP_EVERY_MS).unref()
    : undefined;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/`,
    config,
    parts,
    async close() {
      clearInterval(timer);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await engine.close();
    },
  };
}
