import {
  GraphQLError,
  Kind,
  defaultFieldResolver,
  getArgumentValues,
  getNamedType,
  isAbstractType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  locatedError,
  responsePathAsArray,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  type DocumentNode,
  type ExecutionResult,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLLeafType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { inspect } from "graphql/jsutils/inspect.js";
import type { Path } from "graphql/jsutils/Path.js";
import { CollectedErrors } from "./collected-errors.js";
import { compileVariables } from "./compile-variables.js";

/**
 * A query or mutation of a cached document, ready to run again and again: what graphql-js's `execute`
 * works out on each run — the operation and its fragments, the fields collected per selection set, each
 * field's definition and resolver, a coercer per variable type (compile-variables.ts) — worked out once. Running it does what `execute` does, step for step and
 * promise for promise (the same variable coercion, resolver arguments and `info`, null propagation, error
 * messages, paths and their order, graphql-js's own error de-duplication), so its result is `execute`'s —
 * in JSON: the objects of `data` are plain objects where graphql-js's have no prototype (the `__proto__`
 * response name, the one key that differs, does not compile);
 * compile-operation.test.ts runs both side by side. A subscription compiles for its events: `execute` with
 * the event as root value runs the root fields on it. Only plain operations compile: no fragments, no
 * directives, no interfaces or unions, no `__schema`/`__type`, no object type with `isTypeOf`; anything else
 * (compileOperation returns undefined) is left to `execute`.
 *
 * Written here rather than taken from a query compiler such as graphql-jit because the answer must stay
 * `execute`'s (and so Apollo's) to the byte, errors included, which the parity tests check; the measurement
 * that pays for it: bench/graphql-direct-cost.ts, the GraphQL layer of a `complete` 30.3 → 25.5 µs and
 * 37.5 → 32.5 KB allocated per request (graphql-jit itself was not measured against it).
 */
export interface CompiledOperation {
  /** `rootValue`: a subscription's event (execute then runs the root fields on it, as graphql-ws does per event). */
  execute(contextValue: unknown, rawVariables: Record<string, unknown> | undefined, rootValue?: unknown): Promise<ExecutionResult> | ExecutionResult;
}

/** A field of a selection set, with everything execute looks up for it. */
interface FieldPlan {
  responseName: string;
  fieldNodes: readonly FieldNode[];
  definition: GraphQLField<unknown, unknown>;
  parentType: GraphQLObjectType;
  /** The definition's resolver; undefined: graphql-js's default (read the property, calling it when a function). */
  resolve: GraphQLFieldResolver<unknown, unknown> | undefined;
  /** The sub-selection's fields, when the (unwrapped) type is an object type. */
  subfields: readonly FieldPlan[] | undefined;
  /** The arguments when every one given is a variable (readVariableArguments); undefined: graphql-js's getArgumentValues. */
  readArguments: ((variableValues: Record<string, unknown>) => Record<string, unknown> | undefined) | undefined;
  /** A scalar or enum (maybe non-null), not a list: completing it never reads its path, which is then made only when needed. */
  leaf: boolean;
}

interface Run {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  operation: OperationDefinitionNode;
  rootValue: unknown;
  contextValue: unknown;
  variableValues: Record<string, unknown>;
  errors: CollectedErrors;
}

type Maybe<T> = T | Promise<T>;

export function compileOperation(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined): CompiledOperation | undefined {
  let operation: OperationDefinitionNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) return undefined;
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    if (operationName === undefined) {
      if (operation !== undefined) return undefined;
      operation = definition;
    } else if (definition.name?.value === operationName) operation = definition;
  }
  if (operation === undefined) return undefined;
  const rootType = schema.getRootType(operation.operation);
  if (!rootType) return undefined;
  const rootFields = planSelection(schema, rootType, [operation], true);
  if (!rootFields) return undefined;
  const op = operation;
  const fragments = Object.create(null) as Record<string, FragmentDefinitionNode>;
  const coerceVariables = compileVariables(schema, op.variableDefinitions ?? []);
  return {
    execute(contextValue, rawVariables, rootValue) {
      const coerced = coerceVariables(rawVariables ?? {});
      if (coerced.errors) return { errors: coerced.errors };
      const run: Run = { schema, fragments, operation: op, rootValue, contextValue, variableValues: coerced.coerced, errors: new CollectedErrors() };
      try {
        const result = op.operation === "mutation" ? executeFieldsSerially(run, undefined, rootFields) : executeFields(run, rootValue, undefined, rootFields);
        if (isPromise(result)) {
          return result.then(
            (data) => buildResponse(data, run.errors.errors),
            (error: unknown) => {
              run.errors.add(error as GraphQLError, undefined);
              return buildResponse(null, run.errors.errors);
            },
          );
        }
        return buildResponse(result, run.errors.errors);
      } catch (error) {
        run.errors.add(error as GraphQLError, undefined);
        return buildResponse(null, run.errors.errors);
      }
    },
  };
}

/** collectFields/collectSubfields for selections of plain fields only (undefined for anything else). */
function planSelection(schema: GraphQLSchema, parentType: GraphQLObjectType, parents: ReadonlyArray<{ selectionSet?: SelectionSetNode | undefined }>, root: boolean): FieldPlan[] | undefined {
  if (parentType.isTypeOf) return undefined;
  const grouped = new Map<string, FieldNode[]>();
  for (const parent of parents) {
    for (const selection of parent.selectionSet?.selections ?? []) {
      if (selection.kind !== Kind.FIELD || (selection.directives?.length ?? 0) > 0) return undefined;
      const responseName = selection.alias?.value ?? selection.name.value;
      // A key that an object literal would take for its prototype.
      if (responseName === "__proto__") return undefined;
      const nodes = grouped.get(responseName);
      if (nodes) nodes.push(selection);
      else grouped.set(responseName, [selection]);
    }
  }
  const plans: FieldPlan[] = [];
  for (const [responseName, fieldNodes] of grouped) {
    const name = fieldNodes[0]!.name.value;
    if (root && (name === SchemaMetaFieldDef.name || name === TypeMetaFieldDef.name)) return undefined;
    const definition = name === TypeNameMetaFieldDef.name ? TypeNameMetaFieldDef : parentType.getFields()[name];
    // execute leaves out a field the type does not have (validation refuses it first).
    if (!definition) continue;
    const named = getNamedType(definition.type);
    if (isAbstractType(named)) return undefined;
    let subfields: FieldPlan[] | undefined;
    if (isObjectType(named)) {
      subfields = planSelection(schema, named, fieldNodes, false);
      if (!subfields) return undefined;
    }
    const readArguments = definition.args.length > 0 ? variableArgumentsReader(definition as GraphQLField<unknown, unknown>, fieldNodes[0]!) : undefined;
    const leaf = isLeafType(isNonNullType(definition.type) ? definition.type.ofType : definition.type);
    plans.push({ responseName, fieldNodes, definition: definition as GraphQLField<unknown, unknown>, parentType, resolve: definition.resolve as GraphQLFieldResolver<unknown, unknown> | undefined, subfields, readArguments, leaf });
  }
  return plans;
}

/**
 * getArgumentValues for a field whose arguments are all given as variables (`complete(input: $input)`), without
 * its per-call map of the argument nodes: each argument is its variable's coerced value, or its default when
 * not given. Anything where graphql-js has more to do — a variable not provided or null (defaults, errors), a
 * required argument not given — returns undefined, and getArgumentValues runs instead. Undefined when an
 * argument is given as anything but a variable.
 */
function variableArgumentsReader(definition: GraphQLField<unknown, unknown>, node: FieldNode): FieldPlan["readArguments"] {
  const given = node.arguments ?? [];
  if (given.some((argument) => argument.value.kind !== Kind.VARIABLE)) return undefined;
  const plan = definition.args.map((argument) => {
    // getArgumentValues' keyMap keeps the last node of a name.
    const value = given.findLast((node) => node.name.value === argument.name)?.value;
    return { name: argument.name, variable: value?.kind === Kind.VARIABLE ? value.name.value : undefined, defaultValue: argument.defaultValue, required: isNonNullType(argument.type) };
  });
  return (variableValues) => {
    const coerced: Record<string, unknown> = {};
    for (const argument of plan) {
      if (argument.variable === undefined) {
        if (argument.defaultValue !== undefined) coerced[argument.name] = argument.defaultValue;
        else if (argument.required) return undefined;
        continue;
      }
      const value = Object.prototype.hasOwnProperty.call(variableValues, argument.variable) ? variableValues[argument.variable] : undefined;
      if (value === undefined || value === null) return undefined;
      coerced[argument.name] = value;
    }
    return coerced;
  };
}

function executeFieldsSerially(run: Run, path: Path | undefined, fields: readonly FieldPlan[]): Maybe<Record<string, unknown>> {
  // graphql-js's promiseReduce over the fields, one after the other.
  let accumulator: Maybe<Record<string, unknown>> = {};
  for (const field of fields) {
    const step = (results: Record<string, unknown>): Maybe<Record<string, unknown>> => {
      const result = executeField(run, run.rootValue, field, path);
      if (result === undefined) return results;
      if (isPromise(result)) {
        return result.then((resolved) => {
          results[field.responseName] = resolved;
          return results;
        });
      }
      results[field.responseName] = result;
      return results;
    };
    accumulator = isPromise(accumulator) ? accumulator.then(step) : step(accumulator);
  }
  return accumulator;
}

function executeFields(run: Run, source: unknown, path: Path | undefined, fields: readonly FieldPlan[]): Maybe<Record<string, unknown>> {
  const results: Record<string, unknown> = {};
  let containsPromise = false;
  try {
    for (const field of fields) {
      const result = executeField(run, source, field, path);
      if (result !== undefined) {
        results[field.responseName] = result;
        if (isPromise(result)) containsPromise = true;
      }
    }
  } catch (error) {
    if (containsPromise) {
      return promiseForObject(results).finally(() => {
        throw error;
      });
    }
    throw error;
  }
  return containsPromise ? promiseForObject(results) : results;
}

/**
 * One field of `source`. A leaf's path (an object per field per result) is made only when something reads it — a
 * resolver's info, a promise, an error: paths were ~2.7 KB (5%) of a 9-event subscription's allocation and ~0.3 KB of a
 * mutation's (graphql-direct-cost --heap-prof, --stream).
 */
function executeField(run: Run, source: unknown, field: FieldPlan, parentPath: Path | undefined): unknown {
  const returnType = field.definition.type;
  let path = field.leaf ? undefined : fieldPath(parentPath, field);
  try {
    let result: unknown;
    if (field.resolve === undefined && field.definition.args.length === 0) {
      // graphql-js's defaultFieldResolver, making `info` and the (empty) arguments only for a method it calls.
      if ((typeof source === "object" && source !== null) || typeof source === "function") {
        const property = (source as Record<string, unknown>)[field.definition.name];
        result = typeof property === "function" ? (source as Record<string, (...args: unknown[]) => unknown>)[field.definition.name]!({}, run.contextValue, buildResolveInfo(run, field, (path ??= fieldPath(parentPath, field)))) : property;
      }
    } else {
      const info = buildResolveInfo(run, field, (path ??= fieldPath(parentPath, field)));
      // What getArgumentValues gives a field that takes no arguments: a new empty object.
      const args = field.definition.args.length === 0 ? {} : (field.readArguments?.(run.variableValues) ?? getArgumentValues(field.definition, field.fieldNodes[0]!, run.variableValues));
      result = (field.resolve ?? defaultFieldResolver)(source, args, run.contextValue, info);
    }
    if (isPromise(result)) {
      const at = (path ??= fieldPath(parentPath, field));
      return result
        .then((resolved) => completeValue(run, returnType, field, at, resolved))
        .then(undefined, (rawError: unknown) => handleFieldError(locatedError(rawError, field.fieldNodes, responsePathAsArray(at)), returnType, at, run));
    }
    // A leaf's completion is synchronous and does not read the path (planSelection's `leaf`).
    const completed = completeValue(run, returnType, field, path!, result);
    if (isPromise(completed)) {
      const at = (path ??= fieldPath(parentPath, field));
      return completed.then(undefined, (rawError: unknown) => handleFieldError(locatedError(rawError, field.fieldNodes, responsePathAsArray(at)), returnType, at, run));
    }
    return completed;
  } catch (rawError) {
    path ??= fieldPath(parentPath, field);
    return handleFieldError(locatedError(rawError, field.fieldNodes, responsePathAsArray(path)), returnType, path, run);
  }
}

function buildResolveInfo(run: Run, field: FieldPlan, path: Path): GraphQLResolveInfo {
  return {
    fieldName: field.definition.name,
    fieldNodes: field.fieldNodes,
    returnType: field.definition.type,
    parentType: field.parentType,
    path,
    schema: run.schema,
    fragments: run.fragments,
    rootValue: run.rootValue,
    operation: run.operation,
    variableValues: run.variableValues,
  };
}

function handleFieldError(error: GraphQLError, returnType: GraphQLOutputType, path: Path, run: Run): null {
  if (isNonNullType(returnType)) throw error;
  run.errors.add(error, path);
  return null;
}

function completeValue(run: Run, returnType: GraphQLOutputType, field: FieldPlan, path: Path, result: unknown): unknown {
  if (result instanceof Error) throw result;
  if (isNonNullType(returnType)) {
    const completed = completeValue(run, returnType.ofType, field, path, result);
    if (completed === null) throw new Error(`Cannot return null for non-nullable field ${field.parentType.name}.${field.definition.name}.`);
    return completed;
  }
  if (result == null) return null;
  if (isListType(returnType)) return completeListValue(run, returnType.ofType, field, path, result);
  if (isLeafType(returnType)) return completeLeafValue(returnType, result);
  // An object type (planSelection let no abstract type through).
  return executeFields(run, result, path, field.subfields!);
}

function completeListValue(run: Run, itemType: GraphQLOutputType, field: FieldPlan, path: Path, result: unknown): unknown {
  if (!isIterableObject(result)) throw new GraphQLError(`Expected Iterable, but did not find one for field "${field.parentType.name}.${field.definition.name}".`);
  let containsPromise = false;
  const completedResults = Array.from(result, (item, index) => {
    const itemPath = addPath(path, index, undefined);
    try {
      const completedItem = isPromise(item) ? item.then((resolved) => completeValue(run, itemType, field, itemPath, resolved)) : completeValue(run, itemType, field, itemPath, item);
      if (isPromise(completedItem)) {
        containsPromise = true;
        return completedItem.then(undefined, (rawError: unknown) => handleFieldError(locatedError(rawError, field.fieldNodes, responsePathAsArray(itemPath)), itemType, itemPath, run));
      }
      return completedItem;
    } catch (rawError) {
      return handleFieldError(locatedError(rawError, field.fieldNodes, responsePathAsArray(itemPath)), itemType, itemPath, run);
    }
  });
  return containsPromise ? Promise.all(completedResults) : completedResults;
}

function completeLeafValue(returnType: GraphQLLeafType, result: unknown): unknown {
  const serialized = returnType.serialize(result);
  if (serialized == null) throw new Error(`Expected \`${inspect(returnType)}.serialize(${inspect(result)})\` to return non-nullable value, returned: ${inspect(serialized)}`);
  return serialized;
}

function buildResponse(data: Record<string, unknown> | null, errors: readonly GraphQLError[]): ExecutionResult {
  return errors.length === 0 ? { data } : { errors, data };
}

const fieldPath = (parent: Path | undefined, field: FieldPlan): Path => addPath(parent, field.responseName, field.parentType.name);

const addPath = (prev: Path | undefined, key: string | number, typename: string | undefined): Path => ({ prev, key, typename });

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === "function";
}

function isIterableObject(value: unknown): value is Iterable<unknown> {
  return typeof value === "object" && typeof (value as { [Symbol.iterator]?: unknown } | null)?.[Symbol.iterator] === "function";
}

function promiseForObject(object: Record<string, unknown>): Promise<Record<string, unknown>> {
  return Promise.all(Object.values(object)).then((values) => {
    const resolved: Record<string, unknown> = {};
    for (const [i, key] of Object.keys(object).entries()) resolved[key] = values[i];
    return resolved;
  });
}
