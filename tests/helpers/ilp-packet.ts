// ILP v4 Prepare packets for tests, encoded in OER as Mojaloop SDKs build them: the data is the
// base64url JSON of the FSPIOP Transaction, which the interchange fee rule reads.

function oerOctets(bytes: Buffer): Buffer {
  if (bytes.length < 128) return Buffer.concat([Buffer.from([bytes.length]), bytes]);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(bytes.length);
  return Buffer.concat([Buffer.from([0x82]), length, bytes]);
}

/**
 * An ILP v4 Prepare whose data is a wallet-to-wallet P2P Transaction, as Mojaloop SDKs build it;
 * its executionCondition is `condition` (base64url), zeros when absent.
 */
export function walletIlpPacket(payer: string, payee: string, condition?: string): string {
  const wallet = { extensionList: { extension: [{ key: 'accountType', value: 'Wallet' }] } };
  const transaction = {
    transactionType: { scenario: 'TRANSFER', initiator: 'PAYER', initiatorType: 'CONSUMER' },
    payer: {
      partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: '1', fspId: payer, ...wallet },
    },
    payee: {
      partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: '2', fspId: payee, ...wallet },
    },
  };
  const data = Buffer.from(Buffer.from(JSON.stringify(transaction)).toString('base64url'));
  const content = Buffer.concat([
    Buffer.alloc(8),
    Buffer.from('20300101000000000'),
    condition === undefined ? Buffer.alloc(32) : Buffer.from(condition, 'base64url'),
    oerOctets(Buffer.from(`g.${payee}`)),
    oerOctets(data),
  ]);
  return Buffer.concat([Buffer.from([12]), oerOctets(content)]).toString('base64url');
}
