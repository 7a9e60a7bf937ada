// Callback and oracle targets: which addresses the hub may be pointed at (registration and
// delivery), that the oracle client does not follow redirects, and that logged URLs carry no
// party identifiers or secrets. Sockets here are local servers only.

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { refusedRegistration } from '../../gateway/admin/targets.ts';
import { createHttpTransport } from '../../runtime/notifier/transport.ts';
import { addressClass, redactUrl, refusedTarget } from '../../runtime/notifier/url.ts';
import { OracleClient, OracleError } from '../../runtime/oracle/client.ts';

describe('callback targets', () => {
  it('classifies addresses by range', () => {
    const classes = [
      '8.8.8.8',
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '169.254.1.1',
      '::1',
      'fd12::1',
      'fe80::1',
      '::ffff:127.0.0.1',
      '0.0.0.0',
    ].map(addressClass);
    assert.deepEqual(classes, [
      'public',
      'loopback',
      'private',
      'private',
      'private',
      'metadata',
      'link-local',
      'loopback',
      'private',
      'link-local',
      'loopback',
      'reserved',
    ]);
  });

  it('refuses at registration what the allowed ranges do not cover; metadata always', () => {
    const url = 'http://127.0.0.1:4040/transfers/{{transferId}}';
    assert.equal(refusedTarget(url, ['loopback']), undefined);
    assert.equal(refusedTarget(url, []), '127.0.0.1 is a loopback address');
    assert.equal(refusedTarget('http://localhost:1/x', []), 'localhost is a loopback address');
    assert.equal(
      refusedTarget('http://169.254.169.254/latest', ['link-local', 'private']),
      '169.254.169.254 is a metadata address',
    );
    assert.equal(refusedTarget('http://[fd00::5]/x', []), 'fd00::5 is a private address');
    assert.equal(
      refusedTarget('http://u:p@dfsp.example/x', []),
      'credentials do not belong in a URL',
    );
    assert.equal(refusedTarget('file:///etc/passwd', ['loopback']), 'not an http(s) URL');
    assert.equal(refusedTarget('https://dfsp.example/cb', []), undefined);
    assert.equal(
      refusedRegistration(
        'POST',
        '/oracles',
        '{"oracleIdType":"MSISDN","endpoint":{"value":"http://10.0.0.8","endpointType":"URL"}}',
        ['loopback'],
      ),
      'callback target refused: 10.0.0.8 is a private address',
    );
    assert.equal(refusedRegistration('GET', '/oracles', null, []), undefined);
  });

  it('refuses at delivery a literal address or a name resolving outside the allowed ranges', async () => {
    const transport = createHttpTransport({ allowedRanges: [] });
    const send = (url: string) => transport.send({ method: 'PUT', url, headers: {} });
    assert.deepEqual(await send('http://127.0.0.1:9/x'), {
      kind: 'network',
      error: 'ETARGETREFUSED',
    });
    assert.deepEqual(await send('http://localhost:9/x'), {
      kind: 'network',
      error: 'ETARGETREFUSED',
    });
    await transport.close();
  });

  it('masks party identifiers, query values and credentials in logged URLs', () => {
    assert.equal(
      redactUrl('http://user:secret@dfsp.example:8444/parties/MSISDN/255700000001/error?a=b'),
      'http://dfsp.example:8444/parties/MSISDN/***/error?***',
    );
    assert.equal(redactUrl('/participants/MSISDN/255700000001'), '/participants/MSISDN/***');
  });
});

describe('oracle client', () => {
  it('refuses an oracle address outside the allowed ranges, literal or resolved', async () => {
    const client = new OracleClient({ allowedRanges: [] });
    const target = { partyIdType: 'MSISDN', partyIdentifier: '255700000001' };
    await assert.rejects(client.lookup('http://127.0.0.1:59999', target), {
      name: 'OracleError',
      message: 'oracle unreachable: target refused: 127.0.0.1 is a loopback address',
    });
    await assert.rejects(client.lookup('http://localhost:59999', target), {
      name: 'OracleError',
      message: /^oracle unreachable: target refused: (127\.0\.0\.1|::1) is a loopback address$/,
    });
  });

  it('does not follow a redirect', async () => {
    const hits: string[] = [];
    const server = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const lookup = new OracleClient().lookup(`http://127.0.0.1:${port}`, {
        partyIdType: 'MSISDN',
        partyIdentifier: '255700000001',
      });
      await assert.rejects(lookup, (error) => {
        assert.ok(error instanceof OracleError);
        assert.equal(error.message, 'oracle answered 302');
        return true;
      });
      assert.deepEqual(hits, ['/participants/MSISDN/255700000001']);
    } finally {
      server.close();
    }
  });
});
