import { GraphQLError, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';

const HINT = /\s*Did you mean [^?]*\?/;

function withoutHints(error: GraphQLError): GraphQLError {
  if (!HINT.test(error.message)) return error;
  return new GraphQLError(error.message.replace(HINT, '').trim(), {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: error.extensions,
  });
}

function clean<T extends ExecutionResult>(result: T): T {
  if (!result.errors?.length) return result;
  return { ...result, errors: result.errors.map((error) => (error instanceof GraphQLError ? withoutHints(error) : error)) };
}

/**
 * "Did you mean ...?" names fields, types and enum values the caller did not know. With
 * introspection off, no message may carry them: validation and variable coercion alike. This runs
 * on every result the server sends, whatever produced it.
 */
export function useNoSchemaHints(enabled: boolean): Plugin {
  if (!enabled) return {};
  return {
    onResultProcess({ result, setResult }) {
      if (Symbol.asyncIterator in result) return;
      setResult(Array.isArray(result) ? result.map((item) => clean(item)) : clean(result as ExecutionResult));
    },
  };
}
