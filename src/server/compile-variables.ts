import {
  getVariableValues,
  isEnumType,
  isInputObjectType,
  isInputType,
  isLeafType,
  isListType,
  isNonNullType,
  typeFromAST,
  valueFromAST,
  type GraphQLError,
  type GraphQLInputType,
  type GraphQLSchema,
  type VariableDefinitionNode,
} from "graphql";

/** What graphql-js's getVariableValues answers: the coerced variables, or the errors. */
export type VariableValues = { coerced: Record<string, unknown>; errors?: never } | { errors: readonly GraphQLError[]; coerced?: never };

/** Told apart from every value a coercion can produce. */
const REFUSED = Symbol("refused");
type Coerce = (value: unknown) => unknown;

/**
 * graphql-js's getVariableValues (as execute calls it: at most 50 errors, suggestions on) for one operation's
 * variable definitions, with each variable's type looked at once: a coercer per type that walks the value
 * as coerceInputValue does — the same fields in the same order, the same defaults, the same parseValue
 * calls — and builds the same objects. The first thing that coerceInputValue would refuse (a null where a
 * non-null goes, a field the type has not, a value parseValue throws on or answers undefined for) makes it
 * hand the whole set to getVariableValues, so every error, its message and its order are graphql-js's own.
 */
export function compileVariables(schema: GraphQLSchema, definitions: readonly VariableDefinitionNode[]): (inputs: Record<string, unknown>) => VariableValues {
  const slow = (inputs: Record<string, unknown>): VariableValues => getVariableValues(schema, definitions, inputs, { maxErrors: 50 }) as VariableValues;
  const variables: Array<{ name: string; type: GraphQLInputType; coerce: Coerce; definition: VariableDefinitionNode }> = [];
  const coercers = new Map<GraphQLInputType, Coerce>();
  for (const definition of definitions) {
    const type = typeFromAST(schema, definition.type);
    // Not an input type (validation refuses it first): graphql-js's error.
    if (!isInputType(type)) return slow;
    const coerce = coercerOf(type, coercers);
    if (!coerce) return slow;
    variables.push({ name: definition.variable.name.value, type, coerce, definition });
  }
  return (inputs) => {
    const coerced: Record<string, unknown> = {};
    for (const { name, type, coerce, definition } of variables) {
      if (!Object.prototype.hasOwnProperty.call(inputs, name)) {
        if (definition.defaultValue) coerced[name] = valueFromAST(definition.defaultValue, type);
        else if (isNonNullType(type)) return slow(inputs);
        continue;
      }
      const value = inputs[name];
      if (value === null && isNonNullType(type)) return slow(inputs);
      const result = coerce(value);
      if (result === REFUSED) return slow(inputs);
      coerced[name] = result;
    }
    return { coerced };
  };
}

/** coerceInputValue for one type, answering REFUSED where it would report an error; undefined for a type it leaves to graphql-js (oneOf inputs). */
function coercerOf(type: GraphQLInputType, known: Map<GraphQLInputType, Coerce>): Coerce | undefined {
  const existing = known.get(type);
  if (existing) return existing;
  // Input types can refer to themselves: the map holds a forwarder until the coercer is built.
  let built: Coerce | undefined;
  known.set(type, (value) => built!(value));
  built = buildCoercer(type, known);
  if (!built) return undefined;
  known.set(type, built);
  return built;
}

function buildCoercer(type: GraphQLInputType, known: Map<GraphQLInputType, Coerce>): Coerce | undefined {
  if (isNonNullType(type)) {
    const inner = coercerOf(type.ofType, known);
    return inner && ((value) => (value != null ? inner(value) : REFUSED));
  }
  if (isListType(type)) {
    const item = coercerOf(type.ofType, known);
    if (!item) return undefined;
    return (value) => {
      if (value == null) return null;
      if (typeof value === "object" && typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === "function") {
        const items = Array.from(value as Iterable<unknown>, item);
        return items.includes(REFUSED) ? REFUSED : items;
      }
      // A value that is not a list is a list of one.
      const one = item(value);
      return one === REFUSED ? REFUSED : [one];
    };
  }
  if (isInputObjectType(type)) {
    if (type.isOneOf) return undefined;
    const definitions = type.getFields();
    const fields = Object.values(definitions).map((field) => ({ name: field.name, defaultValue: field.defaultValue, required: isNonNullType(field.type), coerce: coercerOf(field.type, known) }));
    if (fields.some((field) => !field.coerce)) return undefined;
    return (value) => {
      if (value == null) return null;
      if (typeof value !== "object" || Array.isArray(value)) return REFUSED;
      const input = value as Record<string, unknown>;
      const coerced: Record<string, unknown> = {};
      for (const field of fields) {
        const fieldValue = input[field.name];
        if (fieldValue === undefined) {
          if (field.defaultValue !== undefined) coerced[field.name] = field.defaultValue;
          else if (field.required) return REFUSED;
          continue;
        }
        const result = field.coerce!(fieldValue);
        if (result === REFUSED) return REFUSED;
        coerced[field.name] = result;
      }
      for (const name of Object.keys(input)) if (!definitions[name]) return REFUSED;
      return coerced;
    };
  }
  if (isLeafType(type)) {
    const parse = isEnumType(type) ? (value: unknown) => type.parseValue(value, false) : (value: unknown) => type.parseValue(value);
    return (value) => {
      if (value == null) return null;
      try {
        const parsed = parse(value);
        return parsed === undefined ? REFUSED : parsed;
      } catch {
        return REFUSED;
      }
    };
  }
  return undefined;
}
