import { DecoratorHandler, type Dispatcher } from "undici";

/** Where postJson leaves its "written" callback for the `reportSent` interceptor, in undici's request options. */
export const SENT = Symbol("switchyard.onSent");

/** Tells the caller when undici starts writing the request: it has a connection and the wait is over. */
export const reportSent: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) => {
  const onSent = (opts as { [SENT]?: () => void })[SENT];
  return dispatch(opts, onSent === undefined ? handler : new SentHandler(handler, onSent));
};

// undici's typings leave out the methods DecoratorHandler forwards.
interface ForwardingHandler {
  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void;
}
const Decorator = DecoratorHandler as unknown as new (handler: Dispatcher.DispatchHandler) => ForwardingHandler;

class SentHandler extends Decorator {
  readonly #onSent: () => void;
  constructor(handler: Dispatcher.DispatchHandler, onSent: () => void) {
    super(handler);
    this.#onSent = onSent;
  }
  override onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    this.#onSent();
    super.onRequestStart(controller, context);
  }
}
