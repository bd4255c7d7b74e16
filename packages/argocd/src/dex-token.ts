/**
 * Argo CD tokens without a stored secret: the job's GitHub OIDC token exchanged
 * at Argo CD's bundled Dex (`/api/dex/token`, RFC 8693 token exchange, the
 * static public client `argo-cd-cli`, an `oidc` connector trusting GitHub's
 * issuer), as Argo CD documents for GitHub Actions. Each exchange attempt mints
 * a fresh GitHub token, like oidc-login; the Dex ID token is then the bearer.
 */
import {
  RetryableError,
  UserError,
  maskSecret,
  retry,
  NetworkError,
  type HttpTransport,
  type MaskSink,
  type RetryOptions,
} from '@slipway/core';
import {
  isTransientStatus,
  mintIdToken,
  parseJsonBody,
  type IdTokenRequestEnv,
} from '@slipway/oidc/id-token';
import type { TokenSource } from './argocd-client.ts';

export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ID_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id_token';
export const ARGOCD_CLI_CLIENT = 'argo-cd-cli';

export interface DexExchangeOptions {
  server: string;
  http: HttpTransport;
  idTokenRequest: IdTokenRequestEnv;
  /** Audience of the GitHub token; the Dex connector must accept it. */
  audience: string;
  connectorId: string;
  clientId?: string;
  mask: MaskSink;
  retry?: Partial<RetryOptions>;
}

/** A token from a secret: used as is; a 401 cannot be cured by asking again. */
export function staticTokenSource(token: string): TokenSource {
  return { token: () => Promise.resolve(token), refused: () => false };
}

export class DexTokenSource implements TokenSource {
  /** Exchange attempts made (each minted its own GitHub token). */
  attempts = 0;
  private current: string | undefined;

  constructor(private readonly options: DexExchangeOptions) {}

  async token(): Promise<string> {
    this.current ??= await this.exchange();
    return this.current;
  }

  refused(token: string): boolean {
    if (token !== this.current) return false;
    this.current = undefined;
    return true;
  }

  private exchange(): Promise<string> {
    const { server, http, mask } = this.options;
    const clientId = this.options.clientId ?? ARGOCD_CLI_CLIENT;
    return retry(
      async () => {
        this.attempts++;
        const subject = await mintIdToken(this.options.idTokenRequest, this.options.audience, http, mask);
        const form = new URLSearchParams({
          connector_id: this.options.connectorId,
          grant_type: TOKEN_EXCHANGE_GRANT,
          scope: 'openid groups federated:id',
          requested_token_type: ID_TOKEN_TYPE,
          subject_token: subject,
          subject_token_type: ID_TOKEN_TYPE,
        });
        let response;
        try {
          response = await http({
            method: 'POST',
            url: `${server}/api/dex/token`,
            headers: {
              Authorization: `Basic ${Buffer.from(`${clientId}:`).toString('base64')}`,
              'Content-Type': 'application/x-www-form-urlencoded',
              Accept: 'application/json',
            },
            body: form.toString(),
          });
        } catch (error) {
          if (error instanceof NetworkError) throw new RetryableError(`Dex token endpoint: ${error.message}`);
          throw error;
        }
        const body = parseJsonBody(response.body.toString());
        if (isTransientStatus(response.status)) {
          throw new RetryableError(`Dex answered HTTP ${response.status}`);
        }
        if (response.status !== 200) {
          const reason = [body?.error, body?.error_description]
            .filter((v) => typeof v === 'string')
            .join(': ');
          throw new UserError(
            `Argo CD's Dex refused the GitHub token exchange (HTTP ${response.status}${reason ? ` ${reason}` : ''}).`,
            {
              hint: `Check that dex.config has an oidc connector with id '${this.options.connectorId}' whose issuer is GitHub's and that accepts audience '${this.options.audience}'.`,
            },
          );
        }
        const token = body?.access_token;
        if (typeof token !== 'string' || token === '') {
          throw new RetryableError('Dex answered without an access_token');
        }
        return maskSecret(token, mask);
      },
      { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 5000, totalTimeoutMs: 60_000, ...this.options.retry },
    );
  }
}
