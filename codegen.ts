import type { CodegenConfig } from "@graphql-codegen/cli";

/** Typed documents for the tests (and any TypeScript client) from schema/schema.graphql. */
const config: CodegenConfig = {
  schema: "schema/schema.graphql",
  documents: ["test/**/*.graphql"],
  ignoreNoDocuments: false,
  emitLegacyCommonJSImports: false,
  generates: {
    "test/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: { useTypeImports: true, scalars: { DateTime: "string", JSON: "unknown" }, enumsAsTypes: true },
    },
  },
};

export default config;
