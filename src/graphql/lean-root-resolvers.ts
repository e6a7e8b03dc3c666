import { GraphQLScalarType, type GraphQLFieldResolver, type GraphQLSchema } from "graphql";
import { getMetadataStorage } from "type-graphql";

/** What type-graphql's metadata storage keeps of a query, mutation or subscription handler (after buildSchema). */
interface HandlerMetadata {
  target: new () => object;
  methodName: string;
  schemaName: string;
  params?: ParamMetadata[];
  middlewares?: unknown[];
  roles?: unknown[];
}

type ParamMetadata =
  | { kind: "arg"; index: number; name: string; getType(): unknown; validateSettings?: unknown; validateFn?: unknown }
  | { kind: "context"; index: number; propertyName?: string }
  | { kind: "root"; index: number; propertyName?: string; getType?: () => unknown }
  | { kind: "info"; index: number }
  | { kind: "args" | "custom"; index: number };

interface InputTypeMetadata {
  target: new () => object;
  fields: Array<{ name: string; getType(): unknown }>;
}

/** An input type's fields as type-graphql's argument conversion walks them (its "transformation tree"). */
interface InputTree {
  target: new () => object;
  fields: ReadonlyArray<{ name: string; target: unknown; tree: InputTree | undefined }>;
  /**
   * The class has no base class and its constructor only declares its fields (each undefined, in the order of
   * `fields`): convertToType's instance — every field declared, those not given deleted, the given ones
   * assigned — is then an object of its prototype with the given fields in that order, made directly.
   */
  declaresOnly: boolean;
}

type Getter = (root: unknown, args: Record<string, unknown>, context: unknown, info: unknown) => unknown;

/**
 * Replaces type-graphql's resolver of each query, mutation and subscription field of `resolvers` with one that
 * does the same for the handlers this schema has (no middleware, no auth checker, no argument validation: built
 * with `validate: false`): the same resolver instance and method, the same arguments converted to the same
 * input class instances, and — as type-graphql's argument validation is asynchronous even when off — a
 * query's method called after the same promise steps when it takes an `@Arg` (a mutation's and a
 * subscription's at once: their root fields run one at a time, so nothing can tell). What it leaves out is what type-graphql
 * repeats on every call: sorting the parameters, rebuilding each nested input type's field list, a
 * resolver-data object and a middleware closure. A handler with anything else (middleware, roles, `@Args`,
 * a custom parameter, validation) keeps type-graphql's resolver.
 */
export function useLeanRootResolvers(schema: GraphQLSchema, resolvers: ReadonlyArray<new () => object>): void {
  const storage = getMetadataStorage() as unknown as { queries: HandlerMetadata[]; mutations: HandlerMetadata[]; subscriptions: HandlerMetadata[]; inputTypes: InputTypeMetadata[] };
  const instances = new Map<new () => object, object>();
  const trees = new Map<unknown, InputTree | null>();
  const treeOf = (target: unknown): InputTree | undefined => {
    if (!trees.has(target)) trees.set(target, buildTree(storage.inputTypes, target, treeOf) ?? null);
    return trees.get(target) ?? undefined;
  };
  // A query's root fields run side by side: when a handler starts against the others is kept as type-graphql
  // has it. A mutation's run one after the other and a subscription has one, so a handler there starts at once.
  const kinds = [
    [schema.getQueryType(), storage.queries, true],
    [schema.getMutationType(), storage.mutations, false],
    [schema.getSubscriptionType(), storage.subscriptions, false],
  ] as const;
  for (const [type, handlers, parallel] of kinds) {
    if (!type) continue;
    const fields = type.getFields();
    for (const handler of handlers) {
      const field = fields[handler.schemaName];
      if (!field?.resolve || !resolvers.includes(handler.target) || !isPlain(handler)) continue;
      let instance = instances.get(handler.target);
      if (!instance) instances.set(handler.target, (instance = new handler.target()));
      field.resolve = leanResolver(handler, instance, treeOf, parallel);
    }
  }
}

function isPlain(handler: HandlerMetadata): boolean {
  return (
    (handler.middlewares?.length ?? 0) === 0 &&
    handler.roles === undefined &&
    (handler.params ?? []).every((param) => param.kind === "context" || param.kind === "root" || param.kind === "info" || (param.kind === "arg" && !param.validateSettings && !param.validateFn))
  );
}

function leanResolver(handler: HandlerMetadata, instance: object, treeOf: (target: unknown) => InputTree | undefined, parallel: boolean): GraphQLFieldResolver<unknown, unknown> {
  const waits = parallel && (handler.params ?? []).some((param) => param.kind === "arg");
  const params = [...(handler.params ?? [])].sort((a, b) => a.index - b.index);
  const method = (instance as Record<string, (...args: unknown[]) => unknown>)[handler.methodName]!;
  const getters: Getter[] = params.map((param): Getter => {
    switch (param.kind) {
      case "arg":
        // type-graphql's validateArg is an async function: the value comes as a resolved promise.
        return waits ? (_, args) => Promise.resolve(convertValues(param.getType(), args[param.name], treeOf)) : (_, args) => convertValues(param.getType(), args[param.name], treeOf);
      case "context":
        return param.propertyName ? (_, __, context) => (context as Record<string, unknown>)[param.propertyName!] : (_, __, context) => context;
      case "root": {
        const read: Getter = param.propertyName ? (root) => (root as Record<string, unknown>)[param.propertyName!] : (root) => root;
        return param.getType ? (root, args, context, info) => convertToType(param.getType!(), read(root, args, context, info)) : read;
      }
      case "info":
        return (_, __, ___, info) => info;
      default:
        throw new Error(`unexpected parameter kind ${param.kind}`);
    }
  });
  return (root, args, context, info) => {
    const values = getters.map((get) => get(root, args, context, info));
    return waits ? Promise.all(values).then((resolved) => method.apply(instance, resolved)) : method.apply(instance, values);
  };
}

/** type-graphql's generateTransformationTree for one input class (undefined: not an input type). */
function buildTree(inputTypes: InputTypeMetadata[], target: unknown, treeOf: (target: unknown) => InputTree | undefined): InputTree | undefined {
  const find = (of: unknown) => inputTypes.find((type) => type.target === of);
  const metadata = find(target);
  if (!metadata) return undefined;
  let fields = metadata.fields;
  for (let superClass = Object.getPrototypeOf(metadata.target) as { prototype?: unknown }; superClass.prototype !== undefined; superClass = Object.getPrototypeOf(superClass) as { prototype?: unknown }) {
    const superType = find(superClass);
    if (superType) {
      const names = new Set(fields.map((field) => field.name));
      fields = [...fields, ...superType.fields.filter((field) => !names.has(field.name))];
    }
  }
  const tree: InputTree = { target: metadata.target, fields: [], declaresOnly: declaresOnly(metadata.target, fields.map((field) => field.name)) };
  // Filled after the tree is cached, so an input type that contains itself finds it.
  let resolved: InputTree["fields"] | undefined;
  Object.defineProperty(tree, "fields", {
    get: () => (resolved ??= fields.map((field) => {
      const fieldTarget = field.getType();
      return { name: field.name, target: fieldTarget, tree: treeOf(fieldTarget) };
    })),
  });
  return tree;
}

/** type-graphql's convertValuesToInstances, with each input class's tree built once. */
function convertValues(target: unknown, value: unknown, treeOf: (target: unknown) => InputTree | undefined): unknown {
  if (value == null) return value;
  if (Array.isArray(value)) return value.map((item) => convertValues(target, item, treeOf));
  const tree = treeOf(target);
  return tree ? convertToInput(tree, value) : convertToType(target, value);
}

/** type-graphql's convertToInput. */
function convertToInput(tree: InputTree, data: unknown): unknown {
  if (data == null) return data;
  if (Array.isArray(data)) return data.map((item) => convertToInput(tree, item));
  const fields = (tree.declaresOnly ? Object.create(tree.target.prototype) : {}) as Record<string, unknown>;
  for (const field of tree.fields) {
    const value = (data as Record<string, unknown>)[field.name];
    if (value === undefined) continue;
    // An array of inputs is converted item by item by convertToInput itself: a closure over `field` here
    // would give every turn of this loop its own context (~0.8 KB per `complete`, graphql-direct-cost.ts --heap-prof).
    fields[field.name] = value === null || !field.tree ? convertToType(field.target, value) : convertToInput(field.tree, value);
  }
  return tree.declaresOnly ? fields : convertToType(tree.target, fields);
}

function declaresOnly(target: new () => object, fieldNames: readonly string[]): boolean {
  if (Object.getPrototypeOf(target) !== Function.prototype) return false;
  const probe = new target() as Record<string, unknown>;
  const keys = Object.keys(probe);
  return keys.length === fieldNames.length && keys.every((key, i) => key === fieldNames[i] && probe[key] === undefined);
}

const SIMPLE_TYPES: unknown[] = [String, Boolean, Number, Date, Array, Promise];

/** type-graphql's convertToType: a value of a class type becomes an instance of it. */
function convertToType(target: unknown, data: unknown): unknown {
  if (data == null) return data;
  if (target instanceof GraphQLScalarType) return data;
  if (SIMPLE_TYPES.includes((data as object).constructor)) return data;
  const Target = target as new () => Record<string, unknown>;
  if (data instanceof Target) return data;
  if (Array.isArray(data)) return data.map((item) => convertToType(target, item));
  const instance = new Target();
  for (const key of Object.keys(instance)) {
    if (instance[key] === undefined && !(key in (data as object))) delete instance[key];
  }
  return Object.assign(instance, data);
}
