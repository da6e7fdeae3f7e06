/** `serve`: the HTTP API, provided by the composition root (this adapter never imports the HTTP one). */
import type { CommandModule } from '../command-context.js';

export const serveCommand: CommandModule = (y, { runService }) =>
  y.command(
    'serve',
    'serve the HTTP API (JSON, API keys, rate limits) until SIGTERM or Ctrl-C; JSON logs on stdout',
    (c) =>
      c
        // A string, so a bad value is reported as typed (a number option would arrive as NaN).
        .option('port', { type: 'string', describe: 'TCP port (default $PORT, else 8000; 0: any free port)' })
        .option('host', { type: 'string', describe: 'address to listen on (default $HOST, else 0.0.0.0)' })
        .option('api-keys', { type: 'string', describe: 'JSON file of API keys: [{ "name", "sha256", "scopes" }] (default $SRE_OPS_API_KEYS)' })
        .option('insecure-no-auth', { type: 'boolean', default: false, describe: 'serve without API keys (read-only, local use only)' })
        .option('executor', { type: 'boolean', default: false, describe: 'also drive approved patch runs to their end here (default $SRE_OPS_EXECUTOR); several servers share them by leases in the state store' })
        .example('$0 serve --source snapshot:./capture --api-keys ./keys.json', 'the API over a captured snapshot on port 8000'),
    runService('serve'),
  );
