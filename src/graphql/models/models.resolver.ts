import { Ctx, Query, Resolver } from "type-graphql";
import type { GraphQLContext } from "../context.js";
import { ModelGroup } from "./model-group.type.js";

@Resolver()
export class ModelsResolver {
  @Query(() => [ModelGroup], { description: "Model groups with their aliases, deployments, prices and context windows." })
  models(@Ctx() context: GraphQLContext): ModelGroup[] {
    return context.services.models() as ModelGroup[];
  }
}
