import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Webhook } from 'standardwebhooks';
import { ManualClock } from '../src/core/clock.js';
import { WebhookDeliverer } from '../src/core/events/webhook-deliverer.js';
import { DATABASE_TARGETS } from './support/databases.js';
import { startTestApp, type Loose, type TestApp } from './support/harness.js';
import { surveyApi } from './support/survey-helpers.js';
import { startWebhookReceiver } from './support/webhook-receiver.js';

describe.each(DATABASE_TARGETS)('events and webhooks ($name)', (target) => {
  let t: TestApp;
  let key: string;
  let api: ReturnType<typeof surveyApi>;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let sourceId: string;
  const clock = new ManualClock('2026-10-01T12:00:00Z');
  let counter = 0;

  const importReview = async (rating: number) => {
    counter += 1;
    const csv = `externalId,rating,publishedAt,text\nev${counter},${rating},2026-09-30T10:00:00Z,Review ${counter} about the delivery\n`;
    const res = await api.ok(`mutation($input: ImportReviewsInput!) { importReviews(input: $input) { __typename } }`, { input: { sourceId, csv } });
    expect(res.importReviews.__typename).toBe('ImportReviewsPayload');
    return `ev${counter}`;
  };
  const subscribe = async (input: Record<string, unknown>) =>
    (
      await api.ok(
        `mutation($input: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $input) { __typename ... on CreateWebhookSubscriptionPayload { result { secret subscription { id status } } } ... on ValidationError { issues { path message } } } }`,
        { input },
      )
    ).createWebhookSubscription;
  const deliveries = async (status?: string) =>
    (
      await api.ok(
        `query($status: WebhookDeliveryStatus) { webhookDeliveries(first: 100, status: $status) { edges { node { id status attempts lastStatusCode lastError nextAttemptAt event { type } } } } }`,
        { status },
      )
    ).webhookDeliveries.edges.map((edge: Loose) => edge.node);

  beforeAll(async () => {
    t = await startTestApp(target, { clock });
    key = (await t.workspace('Events')).key;
    api = surveyApi(t, key);
    receiver = await startWebhookReceiver();
    const secret = `whsec_${Buffer.from('events-spec-secret-of-32-bytes!!').toString('base64')}`;
    const source = await api.ok(
      `mutation { connectReviewSource(input: { platformCode: "generic", name: "Shop", settings: { secrets: ["${secret}"] } }) { ... on ConnectReviewSourcePayload { source { id } } } }`,
    );
    sourceId = source.connectReviewSource.source.id;
  });
  afterAll(async () => {
    await receiver.close();
    await t.close();
  });

  it('refuses webhook endpoints on private or link-local addresses and unknown event types', async () => {
    const metadata = await subscribe({ url: 'http://169.254.169.254/latest/meta-data' });
    expect(metadata.issues).toEqual([{ path: ['input', 'url'], message: 'must not point at a private, loopback or link-local address' }]);
    const unknown = await subscribe({ url: receiver.url, eventTypes: ['review.exploded'] });
    expect(unknown.issues[0].path).toEqual(['input', 'eventTypes']);
  });

  it('delivers each event once per subscription, signed per Standard Webhooks, with the event in the same transaction as the change', async () => {
    const all = await subscribe({ url: receiver.url });
    const onlyFollowUps = await subscribe({ url: receiver.url, eventTypes: ['follow_up.created'] });
    expect(all.result.secret).toMatch(/^whsec_/);
    const externalId = await importReview(1);
    const feed = await api.ok(`{ events(first: 50) { sequence type subjectId data } }`);
    expect(feed.events.map((event: Loose) => event.type)).toEqual(['review.created', 'follow_up.created']);
    expect(feed.events[0].data).toMatchObject({ externalId, platformCode: 'generic', stars: 1 });

    await t.app.events.runOnce();
    expect(receiver.received).toHaveLength(3);
    const ids = receiver.received.map((hook) => hook.headers['webhook-id']);
    expect(new Set(ids).size).toBe(3);
    for (const hook of receiver.received) {
      const verified = [all.result.secret, onlyFollowUps.result.secret].some((secret) => {
        try {
          new Webhook(secret).verify(hook.body, hook.headers);
          return true;
        } catch {
          return false;
        }
      });
      expect(verified).toBe(true);
    }
    const payload = receiver.received.map((hook) => JSON.parse(hook.body)).find((body) => body.type === 'review.created');
    expect(payload).toMatchObject({ type: 'review.created', subjectId: feed.events[0].subjectId, data: { externalId } });
    expect((await deliveries('SUCCEEDED')).length).toBe(3);
    // A second round sends nothing new.
    await t.app.events.runOnce();
    expect(receiver.received).toHaveLength(3);
    await api.ok(`mutation($id: ID!) { deleteWebhookSubscription(input: { id: $id }) { __typename } }`, { id: onlyFollowUps.result.subscription.id });
  });

  it('retries failures with back-off, dead-letters after about three days, and replays by id', async () => {
    receiver.received.length = 0;
    receiver.answers.push(500, 503);
    await importReview(5);
    await t.app.events.runOnce();
    let [delivery] = await deliveries('RETRYING');
    expect(delivery).toMatchObject({ attempts: 1, lastStatusCode: 500, lastError: 'The endpoint answered 500' });
    const wait = Date.parse(delivery.nextAttemptAt) - clock.now().getTime();
    expect(wait).toBeGreaterThanOrEqual(5_000);
    expect(wait).toBeLessThanOrEqual(6_000);
    await t.app.events.runOnce();
    expect(receiver.received).toHaveLength(1);
    clock.set(new Date(clock.now().getTime() + 6_000));
    await t.app.events.runOnce();
    [delivery] = await deliveries('RETRYING');
    expect(delivery, JSON.stringify(await deliveries())).toMatchObject({ attempts: 2, lastStatusCode: 503 });
    clock.set(new Date(clock.now().getTime() + 40_000));
    await t.app.events.runOnce();
    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((hook) => hook.headers['webhook-id'])).size).toBe(1);
    expect((await deliveries('RETRYING')).length).toBe(0);

    receiver.answers.push(...Array.from({ length: 20 }, () => 502));
    await importReview(4);
    for (let round = 0; round < 20; round += 1) {
      await t.app.events.runOnce();
      clock.advance({ hours: 15 });
    }
    const [dead] = await deliveries('DEAD');
    expect(dead, JSON.stringify(await deliveries())).toMatchObject({ attempts: 14, lastStatusCode: 502 });
    expect(dead.lastError).toContain('gave up after 14 attempts');
    receiver.answers.length = 0;
    const replayed = await api.ok(`mutation($id: ID!) { replayWebhookDelivery(input: { id: $id }) { ... on ReplayWebhookDeliveryPayload { delivery { status } } } }`, { id: dead.id });
    expect(replayed.replayWebhookDelivery.delivery.status).toBe('PENDING');
    await t.app.events.runOnce();
    expect((await deliveries('DEAD')).length).toBe(0);
    expect(receiver.received.at(-1)!.headers['webhook-id']).toBe(receiver.received.at(-2)!.headers['webhook-id']);
  });

  it('disables a subscription whose endpoint answers 410', async () => {
    receiver.answers.push(410);
    await importReview(3);
    await t.app.events.runOnce();
    const subscriptions = await api.ok(`{ webhookSubscriptions(first: 10) { edges { node { status disabledReason } } } }`);
    expect(subscriptions.webhookSubscriptions.edges[0].node).toEqual({ status: 'DISABLED', disabledReason: 'The endpoint answered 410 Gone' });
    const before = receiver.received.length;
    await importReview(3);
    await t.app.events.runOnce();
    expect(receiver.received.length).toBe(before);
  });

  it('refuses at send time an address the URL check could not see (loopback via DNS) when loopback is not allowed', async () => {
    const workspace = await t.app.database.prisma.workspace.findFirstOrThrow({ where: { name: 'Events' } });
    const subscription = await t.app.database.prisma.webhookSubscription.create({
      data: { workspaceId: workspace.id, url: receiver.url.replace('127.0.0.1', 'localhost'), secrets: ['whsec_' + Buffer.from('x'.repeat(32)).toString('base64')] },
    });
    const event = await t.app.database.prisma.domainEvent.create({ data: { workspaceId: workspace.id, type: 'review.created', data: {}, occurredAt: clock.now(), relayedAt: clock.now() } });
    const delivery = await t.app.database.prisma.webhookDelivery.create({ data: { workspaceId: workspace.id, subscriptionId: subscription.id, eventId: event.id, nextAttemptAt: clock.now() } });
    const before = receiver.received.length;
    const strict = new WebhookDeliverer({ sql: t.app.database.sql, clock, log: pino({ level: 'silent' }), allowLoopback: false });
    await strict.deliverDue();
    const row = await t.app.database.prisma.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
    expect(row.status).toBe('RETRYING');
    expect(row.lastError).toMatch(/Refusing to deliver to (127\.0\.0\.1|::1)/);
    expect(receiver.received.length).toBe(before);
  });

  it('records segment membership changes, by hand and by recompute', async () => {
    const customer = await api.customer({ firstName: 'Segmented', country: 'NL' });
    const segment = await api.ok(`mutation { createSegment(input: { name: "Hand", kind: STATIC }) { ... on CreateSegmentPayload { segment { id } } } }`);
    const id = segment.createSegment.segment.id;
    await api.ok(`mutation($s: ID!, $c: ID!) { addCustomersToSegment(input: { segmentId: $s, customerIds: [$c] }) { __typename } }`, { s: id, c: customer });
    await api.ok(`mutation($s: ID!, $c: ID!) { addCustomersToSegment(input: { segmentId: $s, customerIds: [$c] }) { __typename } }`, { s: id, c: customer });
    await api.ok(`mutation($s: ID!, $c: ID!) { removeCustomersFromSegment(input: { segmentId: $s, customerIds: [$c] }) { __typename } }`, { s: id, c: customer });
    await api.ok(
      `mutation { createSegment(input: { name: "Dutch", kind: DYNAMIC, modelCode: "geographic", parameters: { rules: { match: "ALL", rules: [{ field: "country", op: "equals", value: "NL" }] } } }) { __typename } }`,
    );
    const events = (await api.ok(`{ events(first: 500, types: ["segment.membership_changed"]) { subjectId data } }`)).events;
    expect(events.map((event: Loose) => [event.data.entered, event.data.left])).toEqual([
      [1, 0],
      [0, 1],
      [1, 0],
    ]);
    expect(events[0]).toMatchObject({ subjectId: id, data: { enteredCustomerIds: [customer] } });
  });

  it('streams events to GraphQL subscribers over SSE, only their own workspace', async () => {
    const other = await t.workspace('Other');
    const open = async (apiKey: string) => {
      const response = await t.app.yoga.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${apiKey}` },
        body: JSON.stringify({ query: 'subscription { events(types: ["review.created"]) { type subjectId data } }' }),
      });
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      return response.body!.getReader();
    };
    const mine = await open(key);
    const theirs = await open(other.key);
    const decoder = new TextDecoder();
    // Reading starts the subscription; wait until both streams are open.
    const first = mine.read();
    const theirFirst = theirs.read();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const externalId = await importReview(5);
    await t.app.events.runOnce();
    let text = decoder.decode((await first).value);
    while (!text.includes('"review.created"')) text += decoder.decode((await mine.read()).value);
    expect(text).toContain(externalId);
    const nothing = await Promise.race([theirFirst.then((chunk) => decoder.decode(chunk.value)), new Promise<string>((resolve) => setTimeout(() => resolve(''), 300))]);
    expect(nothing).not.toContain('review.created');
    await mine.cancel();
    await theirs.cancel();
  });

  it('every event carries a typed payload with the same values as its JSON data', async () => {
    // A follow-up moved on the board adds follow_up.changed beside the review and follow-up events above.
    const board = await api.ok('{ followUps(first: 1) { edges { node { id } } } }');
    const followUpId = board.followUps.edges[0].node.id as string;
    await api.ok('mutation ($input: UpdateFollowUpInput!) { updateFollowUp(input: $input) { __typename } }', { input: { id: followUpId, status: 'IN_PROGRESS' } });
    const feed = await api.ok(`{ events(first: 500) { type data payload {
      __typename
      ... on ReviewCreatedEvent { reviewId sourceId platformCode externalId stars deleted }
      ... on FollowUpCreatedEvent { followUpId reviewId score priority dueAt }
      ... on FollowUpChangedEvent { followUpId status changedFields }
    } } }`);
    const typeName: Record<string, string> = { 'review.created': 'ReviewCreatedEvent', 'follow_up.created': 'FollowUpCreatedEvent', 'follow_up.changed': 'FollowUpChangedEvent' };
    const seen = new Set<string>();
    for (const event of feed.events as Loose[]) {
      expect(event.payload.__typename).toBe(typeName[event.type] ?? event.payload.__typename);
      seen.add(event.payload.__typename);
      for (const [field, value] of Object.entries(event.payload as Record<string, unknown>)) {
        if (field === '__typename' || field === 'changedFields' || event.data[field] === undefined) continue;
        if (field === 'dueAt') expect(Date.parse(value as string)).toBe(Date.parse(event.data.dueAt));
        else expect(value, `${event.type}.${field}`).toEqual(event.data[field]);
      }
    }
    expect([...seen]).toEqual(expect.arrayContaining(['FollowUpChangedEvent', 'FollowUpCreatedEvent', 'ReviewCreatedEvent']));
    const changed = (feed.events as Loose[]).find((event) => event.type === 'follow_up.changed')!;
    expect(changed.payload).toMatchObject({ followUpId, status: 'IN_PROGRESS', changedFields: ['status'] });
  });
});
