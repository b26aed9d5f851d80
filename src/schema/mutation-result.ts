import { WRITE_ERRORS } from './errors.js';

/** Errors-plugin options for a mutation: `<Name>Payload { <dataField> }` or a typed error. */
export function mutationErrors(name: string, dataField: string, types: Array<new (...args: never[]) => Error> = WRITE_ERRORS) {
  return {
    types,
    result: { name: `${name}Payload` },
    union: { name: `${name}Result` },
    dataField: { name: dataField },
  };
}
