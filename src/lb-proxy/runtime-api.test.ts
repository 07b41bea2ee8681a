import { describe, expect, it } from 'vitest';
import { currentWorkerPid, failedReloads, readyServers } from './runtime-api.js';

describe('runtime API answers', () => {
  it('reads the current worker from show proc', () => {
    const proc = '#<PID>          <type>          <reloads>       <uptime>        <version>      \n22509           master          1 [failed: 0]   0d00h10m10s     2.6.12\n# workers\n22611           worker          0               0d00h00m01s     2.6.12\n# old workers\n22510           worker          1               0d00h10m10s     2.6.12\n# programs\n\n';
    expect(currentWorkerPid(proc)).toBe(22611);
    expect(currentWorkerPid('# workers\n\n')).toBeUndefined();
    expect(failedReloads(proc)).toBe(0);
    expect(failedReloads(proc.replace('[failed: 0]', '[failed: 2]'))).toBe(2);
  });

  it('reads the servers taking requests from show servers state', () => {
    const state = [
      '1',
      '# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port',
      '3 tg-a 1 t-1 127.0.0.1 0 5 1 1 613 1 0 0 8 0 0 0 - 1 - 0 0 - - 0',
      '3 tg-a 2 t-2 127.0.0.2 2 0 1 1 613 1 0 0 8 0 0 0 - 1 - 0 0 - - 0',
      // Leaving maintenance with slow start: starting (1), its weight ramping up.
      '3 tg-a 3 t-3 127.0.0.3 1 4 100 100 0 1 0 0 8 0 0 0 - 1 - 0 0 - - 0',
      '',
    ].join('\n');
    expect([...readyServers(state)]).toEqual(['tg-a/t-2', 'tg-a/t-3']);
  });
});
