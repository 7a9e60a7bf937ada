#!/usr/bin/env bash
# `make ttk`: Mojaloop's Testing Toolkit collections (../shared/ttk/run.sh) against a running
# switch, with the environment inputs that the collections use but environments/hub.json does not
# define. Without them TTK sends the literal `{$inputs.…}` text as participant names and currencies,
# and takes the ISO 20022 branches of the FSPIOP tests (API_TYPE). Arguments are passed on to
# run.sh: collections to run (default: provisioning, then p2p_money_transfer) and its options.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNNER="${TTK_RUNNER:-../shared/ttk/run.sh}"
CALLBACKS="http://127.0.0.1:${TTK_MOCK_PORT:-4040}"
EMAIL=some.email@gmail.com
sets=(--set API_TYPE=fspiop --set currency3=EUR
  --set FX_SOURCE_CURRENCY=USD --set FX_TARGET_CURRENCY=BGN
  --set "email=$EMAIL" --set "noresponsepayeefspEmail=$EMAIL")
for n in 1 2 3; do
  sets+=(--set "E2ESIM${n}_NAME=e2e-sim${n}" --set "E2ESIM${n}_CALLBACK_URL=$CALLBACKS"
    --set "e2eSim${n}Email=$EMAIL")
done
sets+=(--set E2ESIMFXP1_NAME=e2e-sim-fxp1 --set "E2ESIMFXP1_CALLBACK_URL=$CALLBACKS"
  --set "e2eSimFxp1Email=$EMAIL")
# hub/golden_path/fx: the TTK-played FX participants, amounts (13 is the amount of TTK's FX error
# rules) and the 2.0 FX media types. Amounts and ids are JSON strings, as the bodies need them.
sets+=(--set FX_PAYER_DFSP_ID=ttkfxpayer --set FX_PAYEE_DFSP_ID=ttkfxpayee
  --set FX_TESTFXP1_ID=ttkfxp1 --set 'FX_SOURCE_AMOUNT="300"' --set 'FX_TARGET_AMOUNT="280"'
  --set 'FX_SOURCE_AMOUNT_ERROR_GENERIC="13"' --set 'FX_MSISDN_1="22244455511"'
  --set FX_EXPIRATION=2030-01-01T00:00:00.000Z --set PAYEE_BEARER_TOKEN=NOT_APPLICABLE)
for resource in fxQuotes fxTransfers; do
  name="$(tr '[:lower:]' '[:upper:]' <<<"${resource:0:1}")${resource:1}"
  sets+=(--set "contentType${name}=application/vnd.interoperability.${resource}+json;version=2.0"
    --set "accept${name}=application/vnd.interoperability.${resource}+json;version=2.0")
done
# backward_compatibility's "Old" and "NotSupported" media types.
for resource in transfers parties quotes transactionRequests; do
  name="$(tr '[:lower:]' '[:upper:]' <<<"${resource:0:1}")${resource:1}"
  base="application/vnd.interoperability.${resource}+json;version="
  sets+=(--set "contentType${name}Old=${base}1.0" --set "accept${name}Old=${base}1.0"
    --set "contentType${name}NotSupported=${base}3.0" --set "accept${name}NotSupported=${base}3.0")
done
exec bash "$RUNNER" "${sets[@]}" "$@"
