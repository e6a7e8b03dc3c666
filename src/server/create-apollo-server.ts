import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { GraphQLError, type GraphQLSchema, type ParseOptions, type ValidationRule } from "graphql";
import type { GraphQLContext } from "../graphql/context.js";
import type { DocumentCache } from "./create-document-cache.js";
import { formatGraphQLError } from "./format-graphql-error.js";
import { persistedQueryStore } from "./persisted-query-store.js";

export interface ApolloServerOptions {
  schema: GraphQLSchema;
  /** The depth and complexity limits (Apollo adds graphql-js's own rules). */
  validationRules: ValidationRule[];
  parseOptions: ParseOptions;
  /** Whether `__schema` and `__type` may be asked for (Apollo's own default: off when NODE_ENV is production). */
  introspection: boolean;
  /** The server's one document cache: Apollo's automatic persisted queries live in it. */
  documents: DocumentCache;
  /** Runs when the server stops (closes graphql-ws). */
  drain(): Promise<void>;
  /** Added to a single result's `extensions` when it gives some (ServerOptions.responseExtensions). */
  responseExtensions?(context: GraphQLContext): Promise<Record<string, unknown> | undefined> | undefined;
}

/** Apollo Server for GraphQL over HTTP (queries and mutations; subscriptions are streamed by handle-graphql-http.ts). */
export async function createApolloServer(options: ApolloServerOptions): Promise<ApolloServer<GraphQLContext>> {
  const apollo = new ApolloServer<GraphQLContext>({
    schema: options.schema,
    includeStacktraceInErrorResponses: false,
    // main.ts owns SIGTERM/SIGINT: it drains the call log after the server stops. Apollo's own
    // handler would stop the server too and then re-send the signal to the process.
    stopOnTerminationSignals: false,
    validationRules: options.validationRules,
    parseOptions: options.parseOptions,
    introspection: options.introspection,
    formatError: formatGraphQLError,
    // Automatic persisted queries in the one document cache (Apollo registers a text only once it has validated).
    persistedQueries: { cache: persistedQueryStore(options.documents) },
    plugins: [
      refuseUnstreamedSubscriptions,
      ApolloServerPluginLandingPageDisabled(),
      // No HTTP caching of GraphQL answers here; the default plugin would walk every resolved field for nothing.
      ApolloServerPluginCacheControlDisabled(),
      { async serverWillStart() { return { drainServer: options.drain }; } },
      ...(options.responseExtensions ? [responseExtensionsPlugin(options.responseExtensions)] : []),
    ],
  });
  await apollo.start();
  return apollo;
}

/** A subscription that reached Apollo was not asked for as a stream: Apollo cannot run it, so say how. */
const refuseUnstreamedSubscriptions: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation }) {
        if (operation?.operation !== "subscription") return;
        throw new GraphQLError(
          'Subscriptions over HTTP are streamed in Apollo\'s multipart protocol: send Accept: multipart/mixed;subscriptionSpec="1.0" (Apollo Client\'s HttpLink does); or use graphql-ws on /graphql or graphql-sse on /graphql/stream',
          { extensions: { code: "BAD_REQUEST", http: { status: 400 } } },
        );
      },
    };
  },
};

function responseExtensionsPlugin(extend: NonNullable<ApolloServerOptions["responseExtensions"]>): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          if (response.body.kind !== "single") return;
          const extensions = await extend(contextValue);
          if (extensions) response.body.singleResult.extensions = { ...response.body.singleResult.extensions, ...extensions };
        },
      };
    },
  };
}
