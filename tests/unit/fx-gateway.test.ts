// The FX routes in process (createFspiopApp over a recording bus and a fixed participant
// directory): which participants GET /services/FXP lists, what POST /fxTransfers stamps on its
// command (the FXP's directory facts), what POST /fxQuotes refuses (3201), and the synchronous
// refusals that publish nothing.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ActorRef } from '../../actors/actor.ts';
import type { ParticipantDirectoryEntry } from '../../actors/participant/directory.ts';
import { createFspiopApp } from '../../gateway/fspiop/app.ts';
import type { CommandBus, Directory } from '../../runtime/bus.ts';

const FX_ENDPOINTS = { FSPIOP_CALLBACK_URL_FX_QUOTES: 'http://fx' };
const active = { positionAccountActive: true };

function entry(
  name: string,
  currencies: Record<string, { positionAccountActive: boolean }>,
  options: { isActive?: boolean; endpoints?: Record<string, string> } = {},
): ParticipantDirectoryEntry {
  return {
    name,
    isActive: options.isActive ?? true,
    currencies,
    endpoints: options.endpoints ?? FX_ENDPOINTS,
  };
}

const PARTICIPANTS = [
  entry('payer', { USD: active, EUR: active }),
  entry('fxp', { USD: active, EUR: active }),
  entry('fxp-usd-kes', { USD: active, KES: active }),
  entry('fxp-closed', { USD: active, EUR: active }, { isActive: false }),
  entry('fxp-eur-inactive', { USD: active, EUR: { positionAccountActive: false } }),
  entry('bank', { USD: active, EUR: active }, { endpoints: {} }),
];

function gateway() {
  const published: { to: ActorRef; command: Record<string, unknown> }[] = [];
  const bus: CommandBus = {
    async send(to, command) {
      published.push({ to, command: command as Record<string, unknown> });
    },
    request: () => new Promise(() => undefined),
  };
  const byName = new Map(PARTICIPANTS.map((p) => [p.name, p]));
  const directory: Directory = {
    lookup: <T>(type: string, key: string) =>
      (type === 'participant' ? byName.get(key) : undefined) as T | undefined,
    entries: <T>(type: string) =>
      (type === 'participant' ? PARTICIPANTS.map((p) => ({ key: p.name, value: p })) : []) as {
        key: string;
        value: T;
      }[],
  };
  const hub = { hubName: 'Hub', onUsTransfers: false, confirmToPayee: false };
  return { app: createFspiopApp({ bus, directory, hub }), published };
}

function headers(resource: string, destination?: string): Record<string, string> {
  const media = `application/vnd.interoperability.${resource}+json;version=2.0`;
  return {
    'content-type': media,
    accept: media,
    date: new Date().toUTCString(),
    'fspiop-source': 'payer',
    ...(destination === undefined ? {} : { 'fspiop-destination': destination }),
  };
}

const CONDITION = 'GRzLaTP7DJ9t4P-a_BA0WA9wzzlsugf00-Tn6kESAfM';

function fxTransfer(counterPartyFsp: string) {
  return {
    commitRequestId: '01J9ZQ4C5W3V6XK8R2M7N0P1AA',
    determiningTransferId: '01J9ZQ4C5W3V6XK8R2M7N0P1BB',
    initiatingFsp: 'payer',
    counterPartyFsp,
    sourceAmount: { currency: 'USD', amount: '100' },
    targetAmount: { currency: 'EUR', amount: '90.5' },
    condition: CONDITION,
    expiration: '2030-01-01T00:00:00.000Z',
  };
}

describe('FX routes in process', () => {
  it('lists the FXPs of a currency pair, and of any pair without one', async () => {
    const { app, published } = gateway();
    const pair = await app.request('/services/FXP/USD/EUR', { headers: headers('services') });
    assert.equal(pair.status, 202);
    const any = await app.request('/services/FXP', { headers: headers('services') });
    assert.equal(any.status, 202);
    assert.deepEqual(
      published.map((p) => [p.to, p.command['path'], p.command['providers']]),
      [
        [{ type: 'fx-services', key: 'payer' }, '/services/FXP/USD/EUR', ['fxp']],
        [{ type: 'fx-services', key: 'payer' }, '/services/FXP', ['fxp', 'fxp-usd-kes']],
      ],
    );
  });

  it('refuses an unknown currency in the path and publishes nothing', async () => {
    const { app, published } = gateway();
    const answer = await app.request('/services/FXP/USD/EURO', { headers: headers('services') });
    assert.equal(answer.status, 400);
    assert.equal(
      ((await answer.json()) as { errorInformation: { errorCode: string } }).errorInformation
        .errorCode,
      '3100',
    );
    assert.deepEqual(published, []);
  });

  it('stamps the FXP facts and both amounts in minor units on the prepare', async () => {
    const { app, published } = gateway();
    for (const fxp of ['fxp', 'fxp-eur-inactive', 'nobody']) {
      const answer = await app.request('/fxTransfers', {
        method: 'POST',
        headers: headers('fxTransfers', fxp),
        body: JSON.stringify(fxTransfer(fxp)),
      });
      assert.equal(answer.status, 202);
    }
    const command = published[0]?.command;
    assert.equal(command?.['kind'], 'PrepareFxTransfer');
    assert.equal(command?.['sourceAmountMinor'], 100_0000n);
    assert.equal(command?.['targetAmountMinor'], 90_5000n);
    assert.deepEqual(
      published.map((p) => p.command['fxp']),
      [
        { isActive: true, sourceAccountActive: true, targetAccountActive: true },
        { isActive: true, sourceAccountActive: true, targetAccountActive: false },
        null,
      ],
    );
  });

  it('refuses a prepare whose FSPIOP-Destination is not the FXP, publishing nothing', async () => {
    const { app, published } = gateway();
    const answer = await app.request('/fxTransfers', {
      method: 'POST',
      headers: headers('fxTransfers', 'bank'),
      body: JSON.stringify(fxTransfer('fxp')),
    });
    assert.equal(answer.status, 400);
    const body = (await answer.json()) as { errorInformation: { errorDescription: string } };
    assert.match(body.errorInformation.errorDescription, /counterPartyFsp/);
    assert.deepEqual(published, []);
  });

  it('refuses an fxQuote to an FXP without both currencies or the FX endpoint (3201)', async () => {
    const { app, published } = gateway();
    const quote = (fxp: string) => ({
      conversionRequestId: '01J9ZQ4C5W3V6XK8R2M7N0P1CC',
      conversionTerms: {
        conversionId: '01J9ZQ4C5W3V6XK8R2M7N0P1AA',
        initiatingFsp: 'payer',
        counterPartyFsp: fxp,
        amountType: 'SEND',
        sourceAmount: { currency: 'USD', amount: '100' },
        targetAmount: { currency: 'EUR' },
        expiration: '2030-01-01T00:00:00.000Z',
      },
    });
    for (const fxp of ['fxp', 'fxp-usd-kes', 'bank']) {
      const answer = await app.request('/fxQuotes', {
        method: 'POST',
        headers: headers('fxQuotes', fxp),
        body: JSON.stringify(quote(fxp)),
      });
      assert.equal(answer.status, 202);
    }
    const refusals = published.map(
      (p) => (p.command['refusal'] as { errorCode: string } | undefined)?.errorCode,
    );
    assert.deepEqual(refusals, [undefined, '3201', '3201']);
    assert.deepEqual(
      published.map((p) => p.to.type),
      ['conversion-request', 'conversion-request', 'conversion-request'],
    );
  });
});
