'use strict';
// Loaded with `node --require` into each @mojaloop/sdk-scheme-adapter 18.0.2 process that
// tests/interop starts (adapted from ../shared/ttk/sims/sdk-preload.cjs). The SDK itself is the
// registry package, untouched; this file changes only what a test DFSP needs:
//
// 1. `grpc` without its binary. @mojaloop/event-sdk (through central-services-shared) requires the
//    native `grpc` module at load time for an event-logging sidecar nobody runs here; `npm ci
//    --ignore-scripts` leaves it without its compiled binary. When it cannot load, a stand-in whose
//    client drops events is handed out instead.
// 2. FSPIOP 2.0 on the inbound API, only when INTEROP_ACCEPT_FSPIOP2=true. 18.0.2 (the newest on
//    the registry) knows FSPIOP 1.x only and answers 406 to version 2.0. A DFSP that sends 2.0
//    (RESOURCE_VERSIONS) must also take the hub's 2.0 answers, as newer SDKs do; the DFSP that
//    refuses 2.0 in the version test runs without this.
const Module = require('node:module');

const originalLoad = Module._load;

class DroppingEventLoggerClient {
  log(_event, callback) {
    if (typeof callback === 'function') callback(null, { status: 'accepted' });
  }
}
const grpcStandIn = {
  credentials: { createInsecure: () => ({}) },
  loadPackageDefinition: () => ({
    mojaloop: { events: { EventLoggerService: DroppingEventLoggerClient } },
  }),
};

Module._load = function load(request, parent, isMain) {
  if (request !== 'grpc') return originalLoad.call(this, request, parent, isMain);
  try {
    return originalLoad.call(this, request, parent, isMain);
  } catch {
    return grpcStandIn;
  }
};

if (process.env.INTEROP_ACCEPT_FSPIOP2 === 'true') {
  // Resolve modules as the SDK does (the main script is the SDK's src/index.js).
  const sdkRequire = Module.createRequire(process.argv[1]);
  const shared = sdkRequire('@mojaloop/central-services-shared');
  const versions = shared.Util.Hapi.FSPIOPHeaderValidation.defaultProtocolVersions;
  for (const v of ['2', '2.0']) if (!versions.includes(v)) versions.push(v);
}
