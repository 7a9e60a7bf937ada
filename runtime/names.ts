// The names mkondo uses on NATS: streams, their subjects, KV buckets (consumer names live inside
// a stream, so they follow it). A namespace prefix (NATS_NAMESPACE) lets two switches share one
// NATS deployment: prefix `sw1` gives stream `sw1_CMD` on `sw1.cmd.>` and bucket `sw1_leases`. It
// is set once at start, before any connection is used; the empty default keeps the historical
// names (`CMD` on `cmd.>`, `leases`), so an existing deployment keeps its streams and buckets.
// The bindings below are live: modules that imported CMD_STREAM read the configured name.

const NAMESPACE_PATTERN = /^[A-Za-z0-9-]{1,32}$/;

export let CMD_STREAM = 'CMD';
export let EVT_STREAM = 'EVT';
export let OUT_STREAM = 'OUT';
let subjectPrefix = '';
let bucketPrefix = '';

/** Sets the namespace for this process; '' restores the historical names. */
export function configureNamespace(namespace: string): void {
  if (namespace !== '' && !NAMESPACE_PATTERN.test(namespace)) {
    throw new Error(`NATS namespace ${JSON.stringify(namespace)}: must be 1-32 of A-Z a-z 0-9 -`);
  }
  const streamPrefix = namespace === '' ? '' : `${namespace}_`;
  CMD_STREAM = `${streamPrefix}CMD`;
  EVT_STREAM = `${streamPrefix}EVT`;
  OUT_STREAM = `${streamPrefix}OUT`;
  subjectPrefix = namespace === '' ? '' : `${namespace}.`;
  bucketPrefix = streamPrefix;
}

/** A subject in the namespace: `cmd.x` becomes `sw1.cmd.x`. */
export function namespaced(subject: string): string {
  return `${subjectPrefix}${subject}`;
}

/** A KV bucket name in the namespace: `leases` becomes `sw1_leases`. */
export function bucketName(base: string): string {
  return `${bucketPrefix}${base}`;
}
