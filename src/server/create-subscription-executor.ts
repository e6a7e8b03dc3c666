import {
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLFieldConfigMap,
  GraphQLObjectType,
  GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  createSourceEventStream,
  execute,
  getOperationAST,
  visit,
} from "graphql";
import { compileOperation, type CompiledOperation } from "./compile-operation.js";
import { compileSourceStream, type SourceStream } from "./compile-source-stream.js";

/**
 * graphql-ws's `subscribe`, without graphql-js's per-event waste. graphql-js 16 runs a whole
 * `execute` for every event of a subscription: it coerces the operation's variables again and
 * evaluates the root field's arguments again — for `completionStream` that is the whole prompt,
 * per streamed chunk (about 100 µs per chunk for a 40 KB conversation against 16 µs for a short one).
 *
 * Here the source stream is created once, as graphql-js does (variables coerced, arguments
 * evaluated, the root field's `subscribe` run), and each event is executed with a copy of the
 * document whose root fields carry no arguments, against a copy of the schema whose subscription
 * fields take none — the event's payload is already the root value, so the arguments are not
 * needed again. Variables still used elsewhere (a directive, a nested field) are kept and coerced.
 * A document whose subscription root is not plain fields runs the standard way. Each event runs
 * through the operation compiled once (compile-operation.ts) when it compiles, else graphql-js's execute.
 * The source stream itself comes from the document's compiled createSourceEventStream (compile-source-stream.ts)
 * when it compiles: the variables coerced by a coercer made once per operation, not getVariableValues' walk.
 */
export function createSubscriptionExecutor(schema: GraphQLSchema): (args: ExecutionArgs) => Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const eventSchema = withoutSubscriptionArguments(schema);
  const eventDocuments = new WeakMap<DocumentNode, Map<string, DocumentNode | null>>();
  // Each event's execution, compiled once per event document (compile-operation.ts); null: graphql-js's execute.
  const compiledEvents = new WeakMap<DocumentNode, Map<string, CompiledOperation | null>>();
  const compiledOf = (eventSchemaOrSchema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined): CompiledOperation | undefined => {
    let byName = compiledEvents.get(document);
    if (!byName) compiledEvents.set(document, (byName = new Map()));
    const key = operationName ?? "";
    if (!byName.has(key)) byName.set(key, compileOperation(eventSchemaOrSchema, document, operationName ?? undefined) ?? null);
    return byName.get(key) ?? undefined;
  };

  // Each document's source stream, compiled once per operation; null: graphql-js's createSourceEventStream.
  const sourceStreams = new WeakMap<DocumentNode, Map<string, ((args: ExecutionArgs) => Promise<SourceStream>) | null>>();
  const sourceStreamOf = (args: ExecutionArgs): Promise<SourceStream> => {
    if (args.schema !== schema) return createSourceEventStream(args);
    let byName = sourceStreams.get(args.document);
    if (!byName) sourceStreams.set(args.document, (byName = new Map()));
    const key = args.operationName ?? "";
    let compiled = byName.get(key);
    if (compiled === undefined) byName.set(key, (compiled = compileSourceStream(schema, args.document, args.operationName) ?? null));
    return compiled ? compiled(args) : createSourceEventStream(args);
  };

  const eventDocumentOf = (document: DocumentNode, operationName: string | null | undefined): DocumentNode | null => {
    let byName = eventDocuments.get(document);
    if (!byName) eventDocuments.set(document, (byName = new Map()));
    const key = operationName ?? "";
    if (!byName.has(key)) byName.set(key, eventSchema ? stripRootArguments(document, operationName) : null);
    return byName.get(key)!;
  };

  return async (args) => {
    const source = await sourceStreamOf(args);
    if (!isAsyncIterable(source)) return source;
    const eventDocument = eventDocumentOf(args.document, args.operationName);
    const perEvent: ExecutionArgs = eventDocument && eventSchema ? { ...args, schema: eventSchema, document: eventDocument } : args;
    const compiled = args.fieldResolver || args.typeResolver ? undefined : compiledOf(perEvent.schema, perEvent.document, args.operationName);
    const variables = (args.variableValues ?? undefined) as Record<string, unknown> | undefined;
    return mapEvents(source[Symbol.asyncIterator](), (payload) => (compiled ? compiled.execute(args.contextValue, variables, payload) : execute({ ...perEvent, rootValue: payload })));
  };
}

/** The schema with argument-less copies of its subscription fields (same types, resolvers and subscribe functions). */
function withoutSubscriptionArguments(schema: GraphQLSchema): GraphQLSchema | undefined {
  const subscription = schema.getSubscriptionType();
  if (!subscription) return undefined;
  const config = subscription.toConfig();
  const fields: GraphQLFieldConfigMap<unknown, unknown> = {};
  for (const [name, field] of Object.entries(config.fields)) fields[name] = { ...field, args: {} };
  const eventSubscription = new GraphQLObjectType({ ...config, fields });
  const schemaConfig = schema.toConfig();
  return new GraphQLSchema({ ...schemaConfig, subscription: eventSubscription, types: schemaConfig.types.filter((type) => type !== subscription) });
}

/** The document with the subscription's root fields stripped of arguments and the variables only they used; null when that cannot be done. */
function stripRootArguments(document: DocumentNode, operationName: string | null | undefined): DocumentNode | null {
  const operation = getOperationAST(document, operationName);
  if (!operation || operation.operation !== "subscription") return null;
  if (operation.selectionSet.selections.some((selection) => selection.kind !== Kind.FIELD)) return null;
  const stripped: OperationDefinitionNode = {
    ...operation,
    selectionSet: {
      ...operation.selectionSet,
      selections: operation.selectionSet.selections.map((selection) => (selection.kind === Kind.FIELD ? { ...selection, arguments: [] } : selection)),
    },
  };
  const definitions = document.definitions.map((definition) => (definition === operation ? stripped : definition));
  const used = new Set<string>();
  visit({ ...document, definitions: definitions.filter((definition) => definition === stripped || definition.kind === Kind.FRAGMENT_DEFINITION) }, {
    VariableDefinition: () => false,
    Variable: (node) => {
      used.add(node.name.value);
    },
  });
  const kept: OperationDefinitionNode = { ...stripped, variableDefinitions: stripped.variableDefinitions?.filter((definition) => used.has(definition.variable.name.value)) ?? [] };
  return { ...document, definitions: definitions.map((definition) => (definition === stripped ? kept : definition)) };
}

/** Maps each event; `return()` reaches the source at once, even while a `next()` waits on it. */
function mapEvents(source: AsyncIterator<unknown>, map: (payload: unknown) => ExecutionResult | Promise<ExecutionResult>): AsyncIterableIterator<ExecutionResult> {
  const close = async (): Promise<IteratorResult<ExecutionResult>> => {
    await source.return?.();
    return { value: undefined, done: true };
  };
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      const event = await source.next();
      if (event.done) return { value: undefined, done: true };
      try {
        // A compiled event's result is mostly not a promise: no await (and no tick) for it then.
        const mapped = map(event.value);
        return { value: mapped instanceof Promise ? await mapped : mapped, done: false };
      } catch (error) {
        await close();
        throw error;
      }
    },
    return: close,
    async throw(error: unknown) {
      if (source.throw) {
        const event = await source.throw(error);
        if (!event.done) return { value: await map(event.value), done: false };
        return { value: undefined, done: true };
      }
      await close();
      throw error;
    },
  };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof (value as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] === "function";
}
