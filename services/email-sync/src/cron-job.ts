import { runCronJob } from './cron';
import { startUp } from './entry';
import { serviceKeyFor } from './service-key';
import { createServiceClient } from './gateway-backend';

// `pnpm email-sync:cron`: one check-and-sync run for crontab; exit status 1 on any failure.
const { env, log } = startUp(process.env.INIT_CWD);
const client = createServiceClient({
  gatewayUrl: env.GATEWAY_URL,
  serviceKey: serviceKeyFor(env, process.env.INIT_CWD),
});
process.exitCode = await runCronJob({ client, log });
