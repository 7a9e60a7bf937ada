// Scenario s (secure.ts): scenario a over mutual TLS with every message JWS-signed and verified.
// Besides a's figures it reports what the security costs: the JWS sign and verify time per
// message in the bench process (the same RS256 work the switch does per message), the share of
// messages the DFSPs verified, and the TLS handshake cost measured after the run.

import { NO_HOOKS, transferStarter } from './flows.ts';
import type { ScenarioResult } from './report.ts';
import { alternate, ctx, type Harness, modeFor, runTransferScenario } from './scenarios.ts';
import { handshakeCost } from './secure.ts';

export async function scenarioS(h: Harness): Promise<ScenarioResult> {
  const secure = h.secure;
  if (secure === undefined) throw new Error('scenario s needs the secure harness');
  const [one = '', two = ''] = h.dfsps;
  const result = await runTransferScenario(h, {
    scenario: 's',
    title: 'scenario a over mTLS, every message JWS-signed and verified',
    mode: modeFor(h, 500),
    start: (_, tracker) => {
      h.simulator.use(tracker, NO_HOOKS);
      return transferStarter(ctx(h, tracker), alternate(one, two));
    },
    targetRate: 500,
    targetP99Ms: 50,
  });
  const { cost } = secure;
  const stats = h.simulator.stats;
  const handshake = await handshakeCost(h.cluster.fspiopUrl, secure.pki, one);
  const per = (ms: number, n: number) => (n === 0 ? 'n/a' : `${(ms / n).toFixed(3)} ms`);
  const checks = [
    ...result.checks,
    {
      name: 'every message a DFSP received carried a valid FSPIOP-Signature',
      ok: stats.signaturesRefused === 0 && stats.signaturesVerified > 0,
      detail: `${stats.signaturesVerified} verified, ${stats.signaturesRefused} refused`,
    },
  ];
  const costs =
    `JWS RS256 sign ${per(cost.signMs, cost.signs)}, verify ${per(cost.verifyMs, cost.verifies)} ` +
    `per message (${cost.signs} signed, ${cost.verifies} verified by the DFSPs); GET /health on ` +
    `a new mTLS connection ${handshake.newConnectionMs.toFixed(2)} ms, on a kept-alive one ` +
    `${handshake.keptAliveMs.toFixed(2)} ms`;
  return {
    ...result,
    checks,
    notes: [result.notes, costs].filter((text) => text !== undefined).join('; '),
  };
}
