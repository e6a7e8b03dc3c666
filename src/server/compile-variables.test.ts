import {
  GraphQLEnumType,
  GraphQLFloat,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLSchema,
  GraphQLString,
  getVariableValues,
  parse,
  type OperationDefinitionNode,
} from "graphql";
import { describe, expect, it } from "vitest";
import { compileVariables } from "./compile-variables.js";

const Role = new GraphQLEnumType({ name: "Role", values: { USER: { value: "user" }, ASSISTANT: { value: "assistant" } } });
const Json = new GraphQLScalarType({ name: "Json", parseValue: (value) => value });
const Upper = new GraphQLScalarType({ name: "Upper", parseValue: (value) => (typeof value === "string" ? value.toUpperCase() : undefined) });
const Message: GraphQLInputObjectType = new GraphQLInputObjectType({
  name: "Message",
  fields: () => ({
    role: { type: new GraphQLNonNull(Role) },
    content: { type: GraphQLString },
    weight: { type: GraphQLFloat, defaultValue: 1 },
    tags: { type: new GraphQLList(new GraphQLNonNull(GraphQLString)) },
    reply: { type: Message },
  }),
});
const Input = new GraphQLInputObjectType({
  name: "Input",
  fields: { model: { type: new GraphQLNonNull(GraphQLString) }, messages: { type: new GraphQLNonNull(new GraphQLList(Message)) }, max: { type: GraphQLInt }, meta: { type: Json }, code: { type: Upper } },
});
const Either = new GraphQLInputObjectType({ name: "Either", isOneOf: true, fields: { a: { type: GraphQLString }, b: { type: GraphQLInt } } });
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({ name: "Query", fields: { x: { type: GraphQLString, args: { input: { type: Input }, either: { type: Either }, n: { type: GraphQLInt }, list: { type: new GraphQLList(GraphQLInt) } } } } }),
});
const definitions = (text: string) => (parse(text).definitions[0] as OperationDefinitionNode).variableDefinitions ?? [];

const OPERATION = 'query Q($input: Input!, $n: Int = 3, $list: [Int], $m: Int, $roles: [Role!]) { x(input: $input, n: $n, list: $list) }';
const message = { role: "USER", content: "hi" };

describe("compileVariables", () => {
  it.each([
    ["the plain case", { input: { model: "m", messages: [message] } }],
    ["every field, nested and repeated, defaults and custom scalars", { input: { model: "m", messages: [{ ...message, weight: 2, tags: ["a"], reply: { role: "ASSISTANT", content: null } }, null], max: 5, meta: { any: [1, { deep: true }] }, code: "abc" }, n: 7, list: [1, null, 2], m: null, roles: ["USER"] }],
    ["fields in another order than the type's", { input: { messages: [{ content: "x", role: "USER" }], model: "m" } }],
    ["a value that is not a list, as a list of one", { input: { model: "m", messages: message }, list: 4, roles: "ASSISTANT" }],
    ["a variable left out and one with a default", { input: { model: "m", messages: [] } }],
    ["a required variable missing", {}],
    ["a required variable null", { input: null }],
    ["a required field missing", { input: { messages: [] } }],
    ["a required field null", { input: { model: null, messages: [] } }],
    ["an unknown field", { input: { model: "m", messages: [], modle: "x" } }],
    ["an unknown enum value", { input: { model: "m", messages: [{ role: "user" }] } }],
    ["a string for an Int", { input: { model: "m", messages: [] }, n: "3" }],
    ["an Int out of range", { input: { model: "m", messages: [] }, n: 2 ** 40 }],
    ["a scalar answering undefined", { input: { model: "m", messages: [], code: 5 } }],
    ["an object for a string", { input: { model: { a: 1 }, messages: [] } }],
    ["a list for an object", { input: [] }],
    ["a null item where non-null items go", { input: { model: "m", messages: [{ ...message, tags: ["a", null] }] } }],
    ["many errors", { input: { model: 1, messages: [{ role: 1 }, { role: 2 }] }, n: "x", list: ["y"] }],
  ])("answers as graphql-js's getVariableValues: %s", (_, inputs) => {
    const defs = definitions(OPERATION);
    const expected = getVariableValues(schema, defs, inputs, { maxErrors: 50 });
    const actual = compileVariables(schema, defs)(inputs);
    expect(JSON.stringify(actual.coerced)).toBe(JSON.stringify(expected.coerced));
    expect(actual.coerced).toEqual(expected.coerced);
    expect(actual.errors?.map((error) => error.toJSON())).toEqual(expected.errors?.map((error) => error.toJSON()));
  });

  it("leaves a oneOf input to graphql-js", () => {
    const defs = definitions("query Q($e: Either) { x(either: $e) }");
    for (const inputs of [{ e: { a: "x" } }, { e: { a: "x", b: 1 } }, { e: {} }]) {
      expect(compileVariables(schema, defs)(inputs)).toEqual(getVariableValues(schema, defs, inputs, { maxErrors: 50 }));
    }
  });
});
