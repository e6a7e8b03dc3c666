import {
  GraphQLError,
  Kind,
  defaultFieldResolver,
  getArgumentValues,
  locatedError,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import { inspect } from "graphql/jsutils/inspect.js";
import { compileVariables } from "./compile-variables.js";

/** What graphql-js's createSourceEventStream answers: the subscription's source stream, or the errors. */
export type SourceStream = AsyncIterable<unknown> | ExecutionResult;

/**
 * graphql-js's createSourceEventStream for one subscription document, its operation and root field looked up
 * once: graphql-js works out on every subscribe what the document already says (the operation, its fragments,
 * the root field's definition) and coerces the variables with getVariableValues, which walks the input
 * types anew each time (~12 % of a graphql-ws `completionStream` start in a CPU profile). Here the variables
 * go through the coercer compiled once per operation (compile-variables.ts: graphql-js's values and errors),
 * and the root field's `subscribe` gets the same arguments and `info` as from graphql-js, its failures
 * located the same way. Only a subscription whose root selection is one field without directives compiles;
 * anything else (undefined) is left to createSourceEventStream.
 */
export function compileSourceStream(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined): ((args: ExecutionArgs) => Promise<SourceStream>) | undefined {
  let operation: OperationDefinitionNode | undefined;
  const fragments = Object.create(null) as Record<string, FragmentDefinitionNode>;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
    else if (definition.kind === Kind.OPERATION_DEFINITION) {
      if (operationName == null) {
        if (operation !== undefined) return undefined;
        operation = definition;
      } else if (definition.name?.value === operationName) operation = definition;
    }
  }
  if (operation?.operation !== "subscription" || (operation.directives?.length ?? 0) > 0) return undefined;
  const rootType = schema.getSubscriptionType();
  const selections = operation.selectionSet.selections;
  const node = selections[0];
  if (!rootType || selections.length !== 1 || node?.kind !== Kind.FIELD || (node.directives?.length ?? 0) > 0) return undefined;
  const definition = rootType.getFields()[node.name.value] as GraphQLField<unknown, unknown> | undefined;
  if (!definition) return undefined;
  const fieldNode: FieldNode = node;
  const fieldNodes = [fieldNode];
  const responseName = fieldNode.alias?.value ?? fieldNode.name.value;
  const path = { prev: undefined, key: responseName, typename: rootType.name };
  const coerceVariables = compileVariables(schema, operation.variableDefinitions ?? []);
  const op = operation;

  return async (args) => {
    const coerced = coerceVariables((args.variableValues ?? {}) as Record<string, unknown>);
    if (coerced.errors) return { errors: coerced.errors };
    const variableValues = coerced.coerced;
    const info: GraphQLResolveInfo = {
      fieldName: definition.name,
      fieldNodes,
      returnType: definition.type,
      parentType: rootType,
      path,
      schema,
      fragments,
      rootValue: args.rootValue,
      operation: op,
      variableValues,
    };
    let eventStream: unknown;
    try {
      try {
        const resolve = (definition.subscribe ?? args.subscribeFieldResolver ?? defaultFieldResolver) as GraphQLFieldResolver<unknown, unknown>;
        eventStream = await resolve(args.rootValue, getArgumentValues(definition, fieldNode, variableValues), args.contextValue, info);
        if (eventStream instanceof Error) throw eventStream;
      } catch (error) {
        throw locatedError(error, fieldNodes, [responseName]);
      }
      if (!isAsyncIterable(eventStream)) throw new Error(`Subscription field must return Async Iterable. Received: ${inspect(eventStream)}.`);
      return eventStream;
    } catch (error) {
      if (error instanceof GraphQLError) return { errors: [error] };
      throw error;
    }
  };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof (value as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] === "function";
}
