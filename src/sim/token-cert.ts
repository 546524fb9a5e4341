
export interface LoopbackCertificate {
  /** PEM private key. */
  readonly key: string;
  /** PEM certificate; clients trust exactly this one, for loopback only. */
  readonly cert: string;
}

let made: Promise<LoopbackCertificate> | undefined;

/**
 * A self-signed certificate for 127.0.0.1, ::1 and localhost, made once per process at the first start-up
 * (EC P-256: quick to make, so every test process gets its own). `selfsigned` is loaded then, not by every
 * command: it weighs ~16 MB of memory.
 */
export function loopbackCertificate(): Promise<LoopbackCertificate> {
  made ??= import('selfsigned').then(({ generate }) => generate([{ name: 'commonName', value: 'pcsync simulator (loopback only)' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 7 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  })).then((pems) => ({ key: pems.private, cert: pems.cert }));
  return made;
}
