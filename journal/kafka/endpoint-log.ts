// The logging the endpoint and the shipper need: a pino logger fits it, and tests pass a silent one.

export interface EndpointLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export const SILENT_LOG: EndpointLog = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
