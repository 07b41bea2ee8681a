// A platform process of its own: opens the data plane on argv[2] with the hosts file argv[3],
// applies the config JSON of argv[4], says "ready" once every target is healthy and then waits
// to be killed.
import { HaproxyDataPlane } from '../../src/lb-proxy/haproxy-data-plane.js';
import type { ProxyConfig } from '../../src/lb-proxy/proxy-config.js';

const [dataDir, hostsFile, json] = process.argv.slice(2) as [string, string, string];
const config = JSON.parse(json) as ProxyConfig;
const plane = await HaproxyDataPlane.open({ dataDir, hostsFile });
await plane.apply(config);
const wanted = config.targetGroups.reduce((n, g) => n + g.targets.length, 0);
const timer = setInterval(() => {
  const healthy = config.targetGroups.flatMap((g) => plane.targetHealth(g.arn)).filter((h) => h.state === 'healthy').length;
  if (healthy === wanted) {
    void plane.idle().then(() => process.stdout.write('ready\n'));
    clearInterval(timer);
  }
}, 20);
setInterval(() => undefined, 1 << 30);
