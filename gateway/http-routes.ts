// HTTP on the same uWebSockets.js app as the WebSocket: health, readiness, metrics, read-only REST
// (symbols, books, trades) and the admin calls behind the API key.
import type { HttpRequest, HttpResponse, TemplatedApp } from 'uWebSockets.js';
import { CommandType } from '../engine/schema.ts';
import { admin, changeStatus, createAccount, createSymbol, OUTCOME_TIMEOUT_MS, parseJson, transfer, type AdminResult } from './admin.ts';
import type { Gateway } from './gateway.ts';
import { readBody, replyOf, sameSecret } from './http-util.ts';
import type { MarketData } from './market-data.ts';
import { BOOK_DEPTH_DEFAULT, BOOK_DEPTH_MAX } from './protocol/messages.ts';
import { statusName, type Registry } from './registry.ts';

export interface HttpDeps {
  readonly gateway: Gateway;
  readonly registry: Registry;
  readonly marketData: MarketData;
  readonly adminApiKey: string;
  /** Recovered, matching and accepting orders. */
  readonly ready: () => boolean;
  readonly readiness: () => Record<string, unknown>;
  readonly metricsText: () => Promise<string>;
  readonly metricsContentType: string;
}

export function addHttpRoutes(app: TemplatedApp, d: HttpDeps): void {
  app.get('/healthz', (res) => replyOf(res).text(200, 'text/plain', 'ok\n'));
  const readyz = (res: HttpResponse) => replyOf(res).json(d.ready() ? 200 : 503, { ready: d.ready(), ...d.readiness() });
  app.get('/readyz', readyz);
  // One engine serves a shard: the instance that accepts orders is its leader; a standby never does
  // (server/config.ts, Role), so behind one load balancer only the leader passes this check.
  app.get('/healthz/leader', readyz);
  app.get('/metrics', (res) => {
    const reply = replyOf(res);
    d.metricsText().then((text) => reply.text(200, d.metricsContentType, text), (e: unknown) => reply.json(503, { error: String(e) }));
  });
  app.get('/v1/symbols', (res) => replyOf(res).json(200, {
    symbols: d.registry.symbols.map((s) => ({
      symbol: s.name, base: s.base.name, quote: s.quote.name, tickSize: s.tickSize, lotSize: s.lotSize, status: statusName(s.status),
      minQty: d.registry.qty(s, s.spec.minQtyLots), maxQty: d.registry.qty(s, s.spec.maxQtyLots), priceMax: d.registry.price(s, s.spec.priceTicksMax),
      makerFeeBps: s.spec.makerFeeBps, takerFeeBps: s.spec.takerFeeBps,
    })),
  }));
  app.get('/v1/book/:symbol', (res, req) => {
    const reply = replyOf(res);
    const sym = d.registry.symbolByName.get(decodeURIComponent(req.getParameter(0)));
    const depthText = new URLSearchParams(req.getQuery() ?? '').get('depth');
    const depth = depthText === null ? BOOK_DEPTH_DEFAULT : Number(depthText);
    if (sym === undefined) return reply.json(404, { error: 'UNKNOWN_SYMBOL' });
    if (!Number.isInteger(depth) || depth < 1 || depth > BOOK_DEPTH_MAX) return reply.json(400, { error: 'BAD_DEPTH', message: `depth must be an integer in 1..${BOOK_DEPTH_MAX}` });
    const snap = d.marketData.snapshot(sym.id, depth);
    return reply.json(200, { symbol: sym.name, seq: snap?.seq ?? 0, bids: d.registry.levels(sym, snap?.bids ?? []), asks: d.registry.levels(sym, snap?.asks ?? []) });
  });
  app.get('/v1/trades/:symbol', (res, req) => {
    const reply = replyOf(res);
    const sym = d.registry.symbolByName.get(decodeURIComponent(req.getParameter(0)));
    if (sym === undefined) return reply.json(404, { error: 'UNKNOWN_SYMBOL' });
    return reply.json(200, {
      symbol: sym.name,
      trades: d.marketData.recentTrades(sym.id).map((t) => d.registry.trade(sym, t)),
    });
  });
  addAdminRoutes(app, d);
}

function addAdminRoutes(app: TemplatedApp, d: HttpDeps): void {
  const execute = (command: Parameters<Gateway['execute']>[0]) => d.gateway.execute(command, OUTCOME_TIMEOUT_MS);
  /** Checks the key and readiness, reads the JSON body, runs the call, replies. */
  const post = (pattern: string, call: (body: Record<string, unknown>, req: { parameter: (i: number) => string }) => Promise<AdminResult>) => {
    app.post(pattern, (res: HttpResponse, req: HttpRequest) => {
      const reply = replyOf(res);
      const key = req.getHeader('x-api-key');
      const parameters = [req.getParameter(0) ?? ''];
      if (!sameSecret(key, d.adminApiKey)) {
        res.onData(() => undefined);
        return reply.json(401, { error: 'UNAUTHORIZED', message: 'the admin API needs a valid x-api-key header' });
      }
      readBody(res, (text) => {
        if (!d.ready()) return reply.json(503, { error: 'NOT_READY' });
        const parsed = parseJson(text);
        if (!parsed.ok) return reply.json(parsed.result.status, parsed.result.body);
        void admin(() => call(parsed.body, { parameter: (i) => decodeURIComponent(parameters[i] ?? '') })).then((r) => reply.json(r.status, r.body));
      });
    });
  };
  post('/v1/admin/symbols', (body) => createSymbol(d.registry, execute, body));
  post('/v1/admin/accounts', (body) => createAccount(execute, body));
  post('/v1/admin/deposits', (body) => transfer(d.registry, execute, body, CommandType.DEPOSIT));
  post('/v1/admin/withdrawals', (body) => transfer(d.registry, execute, body, CommandType.WITHDRAW));
  for (const [action, type] of [['halt', CommandType.HALT_SYMBOL], ['resume', CommandType.RESUME_SYMBOL], ['close', CommandType.CLOSE_SYMBOL]] as const) {
    post(`/v1/admin/symbols/:symbol/${action}`, async (body, req) => {
      const sym = d.registry.symbolByName.get(req.parameter(0));
      if (sym === undefined) return { status: 404, body: { error: 'UNKNOWN_SYMBOL' } };
      return changeStatus(d.registry, execute, sym, type, body);
    });
  }
}
