import { expect } from 'vitest';
import type { Loose, TestApp } from './harness.js';

/** Small GraphQL helpers shared by the survey specs: each asserts the call succeeded. */
export function surveyApi(t: TestApp, key: string) {
  const ok = async (query: string, variables?: Record<string, unknown>): Promise<Loose> => {
    const res = await t.gql(key, query, variables);
    expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
    return res.body.data;
  };
  return {
    ok,
    async customer(input: Record<string, unknown>): Promise<string> {
      const data = await ok(`mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { ... on CreateCustomerPayload { customer { id } } ... on Error { message } } }`, { input });
      expect(data.createCustomer.customer, JSON.stringify(data.createCustomer)).toBeTruthy();
      return data.createCustomer.customer.id;
    },
    async survey(input: Record<string, unknown>, activate = true): Promise<{ id: string; questions: Array<{ id: string; type: string }> }> {
      const data = await ok(
        `mutation($input: CreateSurveyInput!) { createSurvey(input: $input) { ... on CreateSurveyPayload { survey { id questions { id type } } } ... on ValidationError { issues { path message } } } }`,
        { input },
      );
      expect(data.createSurvey.survey, JSON.stringify(data.createSurvey)).toBeTruthy();
      if (activate) {
        const updated = await ok(`mutation($input: UpdateSurveyInput!) { updateSurvey(input: $input) { __typename } }`, { input: { id: data.createSurvey.survey.id, status: 'ACTIVE' } });
        expect(updated.updateSurvey.__typename).toBe('UpdateSurveyPayload');
      }
      return data.createSurvey.survey;
    },
    async touchpoint(input: Record<string, unknown>): Promise<string> {
      const data = await ok(`mutation($input: CreateTouchpointInput!) { createTouchpoint(input: $input) { ... on CreateTouchpointPayload { touchpoint { id } } ... on Error { message } } }`, {
        input,
      });
      expect(data.createTouchpoint.touchpoint, JSON.stringify(data.createTouchpoint)).toBeTruthy();
      return data.createTouchpoint.touchpoint.id;
    },
    async invitations(filter: Record<string, unknown> = {}): Promise<Loose[]> {
      const data = await ok(
        `query($filter: InvitationFilter) { invitations(first: 100, filter: $filter) { edges { node { id status skipReason channel url variant locale sendAfter sentAt remindedAt openedAt startedAt completedAt failureMessage customer { id } } } } }`,
        { filter },
      );
      return data.invitations.edges.map((edge: Loose) => edge.node);
    },
  };
}

/** A link survey with the standard NPS question and an open "why?" after it. */
export function npsWithReason(name = 'NPS') {
  return {
    name,
    kind: 'NPS',
    channel: 'link',
    questions: [
      { type: 'NPS', texts: [{ locale: 'nl', text: 'Aanbevelen?' }] },
      { type: 'OPEN_TEXT', texts: [{ locale: 'nl', text: 'Waarom?' }] },
    ],
  };
}

export const tokenOf = (url: string) => url.split('/s/')[1]!;
