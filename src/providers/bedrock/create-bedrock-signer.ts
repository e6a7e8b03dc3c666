import { Sha256 } from "@aws-crypto/sha256-js";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";

export interface BedrockCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** Present for temporary credentials (STS, SSO, instance roles); sent as `x-amz-security-token`. */
  sessionToken?: string;
}

export interface BedrockSignerOptions {
  region: string;
  credentials: BedrockCredentials;
  /** Epoch milliseconds; the signature's date. */
  now?: () => number;
}

export interface BedrockRequestToSign {
  /** `host[:port]`, exactly as the Host header will carry it. */
  host: string;
  /** The path as it goes on the wire (the model id already URL-encoded once). */
  path: string;
  headers: Record<string, string>;
  /** The exact body that will be sent. */
  body: string;
}

/** Returns every header to send: the given ones plus `host`, `x-amz-date`, `x-amz-content-sha256`, `authorization` (and the session token). */
export type BedrockSigner = (request: BedrockRequestToSign) => Promise<Record<string, string>>;

/**
 * SigV4 for Bedrock Runtime (signing name `bedrock`) through smithy's SignatureV4, which picks
 * the signed headers and URI-encodes the path a second time for the canonical request, as every
 * AWS service but S3 expects (WIRE §5.1, §10.4). Whatever it signs must go on the wire
 * unchanged, so the caller sends exactly the headers and body returned and given here.
 */
export function createBedrockSigner(options: BedrockSignerOptions): BedrockSigner {
  const now = options.now ?? Date.now;
  const signer = new SignatureV4({
    service: "bedrock",
    region: options.region,
    credentials: { ...options.credentials },
    sha256: Sha256,
  });
  return async ({ host, path, headers, body }) => {
    const request = new HttpRequest({ method: "POST", hostname: host.replace(/:\d+$/, ""), path, headers: { ...headers, host }, body });
    const signed = await signer.sign(request, { signingDate: new Date(now()) });
    return signed.headers;
  };
}
