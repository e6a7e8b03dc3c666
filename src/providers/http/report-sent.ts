import { DecoratorHandler, Dispatcher } from "undici";

/** Where postJson leaves its "written" callback for `reportSent`, in undici's request options. */
export const SENT = Symbol("switchyard.onSent");

type OnSent = () => void;

/**
 * `base` with one addition: a request carrying a `SENT` callback has it called when undici starts
 * writing the request (it has a connection and the wait is over).
 *
 * Not `base.compose(interceptor)`: compose hands every request's handler through undici's new
 * handler API and back (WrapHandler, UnwrapHandler), which parses each response's headers into an
 * object, turns them back into fresh Buffers and keeps both for as long as the response is read —
 * measured, about a tenth of a call's CPU in undici and a few kB held per open stream. The
 * `request()` API's handler is a legacy one, so a legacy forwarder is all it takes.
 */
export function reportSent(base: Dispatcher): Dispatcher {
  return new ReportSentDispatcher(base);
}

class ReportSentDispatcher extends Dispatcher {
  readonly #base: Dispatcher;
  constructor(base: Dispatcher) {
    super();
    this.#base = base;
  }
  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const onSent = (options as { [SENT]?: OnSent })[SENT];
    if (onSent === undefined) return this.#base.dispatch(options, handler);
    const forwarding = (handler as { onRequestStart?: unknown }).onRequestStart !== undefined ? new SentDecorator(handler, onSent) : new LegacySentHandler(handler, onSent);
    return this.#base.dispatch(options, forwarding as Dispatcher.DispatchHandler);
  }
  override close(): Promise<void>;
  override close(callback: () => void): void;
  override close(callback?: () => void): Promise<void> | void {
    return callback === undefined ? this.#base.close() : this.#base.close(callback);
  }
  override destroy(): Promise<void>;
  override destroy(err: Error | null): Promise<void>;
  override destroy(callback: () => void): void;
  override destroy(err: Error | null, callback: () => void): void;
  override destroy(...args: unknown[]): Promise<void> | void {
    return (this.#base.destroy as (...a: unknown[]) => Promise<void> | void)(...args);
  }
}

type LegacyHandler = {
  onConnect?(abort: (err?: Error) => void, context?: unknown): void;
  onHeaders?(statusCode: number, headers: Buffer[], resume: () => void, statusText: string): boolean;
  onData?(chunk: Buffer): boolean;
  onComplete?(trailers: string[] | null): void;
  onError?(err: Error): void;
  onUpgrade?(statusCode: number, headers: Buffer[] | string[] | null, socket: unknown): void;
  onResponseStarted?(): void;
  onBodySent?(chunk: unknown): void;
  onRequestSent?(): void;
};

/** undici's request() handler with `onSent` called on connect (a legacy handler stays legacy: no conversions). */
class LegacySentHandler implements LegacyHandler {
  readonly #handler: LegacyHandler;
  readonly #onSent: OnSent;
  constructor(handler: Dispatcher.DispatchHandler, onSent: OnSent) {
    this.#handler = handler as LegacyHandler;
    this.#onSent = onSent;
  }
  onConnect(abort: (err?: Error) => void, context?: unknown): void {
    this.#onSent();
    this.#handler.onConnect?.(abort, context);
  }
  onHeaders(statusCode: number, headers: Buffer[], resume: () => void, statusText: string): boolean {
    return this.#handler.onHeaders?.(statusCode, headers, resume, statusText) ?? true;
  }
  onData(chunk: Buffer): boolean {
    return this.#handler.onData?.(chunk) ?? true;
  }
  onComplete(trailers: string[] | null): void {
    this.#handler.onComplete?.(trailers);
  }
  onError(err: Error): void {
    this.#handler.onError?.(err);
  }
  onUpgrade(statusCode: number, headers: Buffer[] | string[] | null, socket: unknown): void {
    this.#handler.onUpgrade?.(statusCode, headers, socket);
  }
  onResponseStarted(): void {
    this.#handler.onResponseStarted?.();
  }
  onBodySent(chunk: unknown): void {
    this.#handler.onBodySent?.(chunk);
  }
  onRequestSent(): void {
    this.#handler.onRequestSent?.();
  }
}

// undici's typings leave out the methods DecoratorHandler forwards.
interface ForwardingHandler {
  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void;
}
const Decorator = DecoratorHandler as unknown as new (handler: Dispatcher.DispatchHandler) => ForwardingHandler;

/** A handler of undici's newer API (not what request() makes): `onSent` at its request start. */
class SentDecorator extends Decorator {
  readonly #onSent: OnSent;
  constructor(handler: Dispatcher.DispatchHandler, onSent: OnSent) {
    super(handler);
    this.#onSent = onSent;
  }
  override onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    this.#onSent();
    super.onRequestStart(controller, context);
  }
}
