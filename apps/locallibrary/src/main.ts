import { ConfigError, readConfig } from './config.js';
import { startSite } from './server.js';

/** `pnpm start`: reads the environment, starts the site, prints its URL, stops on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const config = readConfig(process.env);
  const site = await startSite(config);
  const { info } = site.parts;
  console.log(`LocalLibrary (${info.framework}, ${info.engine} sessions in ${info.where}) at ${site.url}`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    console.log(`locallibrary: ${signal}, stopping`);
    site.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('locallibrary: error while stopping', error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `locallibrary: ${error.message}` : error);
  process.exit(1);
});
