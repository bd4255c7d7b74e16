/**
 * A TEST HANDLER, not a double of ACR: the one endpoint of Azure Container Registry the workflows'
 * azure path calls with curl, `POST /oauth2/exchange` (form: grant_type=access_token, service,
 * tenant, access_token), answered with `{"refresh_token": "..."}` when the access token is one
 * the Azure token double issued (`accepts`); 401 otherwise. Every other request (`GET /v2/` from
 * `docker login`, the verify action's manifest reads) is passed on, unchanged, to the OCI registry
 * double, which stands for the registry itself. The proxy routes `<name>.azurecr.io` here.
 * Not modelled: ACR's token endpoint (`/oauth2/token`), scopes, expiry of the refresh token.
 */
import { createServer, request, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { listenOnLoopback } from '../doubles/oidc-issuer/loopback.ts';
import { readBody } from '../doubles/oidc-issuer/faults.ts';

export interface AcrExchange {
  url: string;
  /** Every exchange request's form fields, in order. */
  exchanges: Record<string, string>[];
  /** Refresh tokens handed out. */
  issued: string[];
  close(): Promise<void>;
}

export async function startAcrExchange(options: {
  /** host:port of the OCI registry double. */
  registry: string;
  accepts: (accessToken: string) => boolean;
}): Promise<AcrExchange> {
  const exchanges: Record<string, string>[] = [];
  const issued: string[] = [];
  const [registryHost, registryPort] = options.registry.split(':') as [string, string];
  const server: Server = createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/oauth2/exchange') {
      void readBody(req).then((raw) => {
        const form = Object.fromEntries(new URLSearchParams(raw));
        exchanges.push(form);
        const json = (status: number, body: unknown) =>
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        if (form.grant_type !== 'access_token' || !form.service || !form.tenant)
          return json(400, { errors: [{ code: 'UNSUPPORTED', message: 'grant_type, service and tenant' }] });
        if (!options.accepts(form.access_token ?? ''))
          return json(401, { errors: [{ code: 'UNAUTHORIZED', message: 'invalid access token' }] });
        const refresh = `acr-refresh-${randomBytes(24).toString('base64url')}`;
        issued.push(refresh);
        return json(200, { refresh_token: refresh });
      });
      return;
    }
    const upstream = request(
      {
        host: registryHost,
        port: Number(registryPort),
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  const { url, close } = await listenOnLoopback(server);
  return { url, exchanges, issued, close };
}
