import type { ScopedPrisma } from '../../db/workspace-scope.js';
import { findOrThrow } from '../commerce/references.js';
import { globalId } from '../events/global-id.js';
import { localized } from '../surveys/invitation-message.js';
import type { CustomerExport } from './export-document.js';

const iso = (value: Date | null) => (value ? value.toISOString() : null);
const objectOf = (value: unknown) => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

/**
 * Everything the workspace holds on one person, as one document (GDPR art. 15 and 20): profile,
 * consents, orders, touchpoints, invitations, responses with answers, linked reviews with replies
 * and earlier versions, review invitations, follow-ups with notes, segment memberships with their
 * history, and the events that name them. Read through the workspace-scoped client: another
 * workspace's person (the same e-mail included) never appears; their id is NotFound.
 */
export async function exportCustomerDataOrThrow(db: ScopedPrisma, customerId: string, now: Date): Promise<CustomerExport> {
  const customer = await findOrThrow(db.customer.findFirst({ where: { id: customerId } }), 'Customer', customerId);
  const customerGlobalId = globalId('Customer', customerId);
  const [workspace, orders, touchpoints, invitations, responses, reviews, reviewInvitations, followUps, memberships] = await Promise.all([
    db.workspace.findFirstOrThrow({ select: { id: true, companyName: true } }),
    db.order.findMany({ where: { customerId }, orderBy: [{ orderedAt: 'asc' }, { id: 'asc' }] }),
    db.touchpoint.findMany({ where: { customerId }, orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }] }),
    db.invitation.findMany({ where: { customerId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], include: { survey: { select: { id: true, name: true } } } }),
    db.surveyResponse.findMany({
      where: { customerId },
      orderBy: [{ startedAt: 'asc' }, { id: 'asc' }],
      include: { survey: { select: { id: true, name: true } }, answers: { orderBy: { answeredAt: 'asc' }, include: { question: { select: { texts: true } } } } },
    }),
    db.review.findMany({ where: { customerId }, orderBy: [{ publishedAt: 'asc' }, { id: 'asc' }], include: { versions: { orderBy: { version: 'asc' } } } }),
    db.reviewInvitation.findMany({ where: { customerId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
    db.followUp.findMany({ where: { customerId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], include: { notes: { orderBy: { createdAt: 'asc' } } } }),
    db.segmentMembership.findMany({ where: { customerId }, orderBy: [{ enteredAt: 'asc' }, { id: 'asc' }], include: { segment: { select: { id: true, name: true } } } }),
  ]);
  // Events name the person directly or through their responses and follow-ups.
  const subjects = [customerGlobalId, ...responses.map((response) => globalId('SurveyResponse', response.id)), ...followUps.map((followUp) => globalId('FollowUp', followUp.id))];
  const events = await db.domainEvent.findMany({
    where: { OR: [{ subjectId: { in: subjects } }, { data: { path: ['customerId'], equals: customerGlobalId } }] },
    orderBy: { sequence: 'asc' },
  });
  return {
    format: 'cx-graph.customer-export/1',
    exportedAt: now.toISOString(),
    workspace: { id: workspace.id, companyName: workspace.companyName },
    customer: {
      id: customerGlobalId,
      externalId: customer.externalId,
      firstName: customer.firstName,
      infix: customer.infix,
      lastName: customer.lastName,
      salutation: customer.salutation,
      email: customer.email,
      phone: customer.phone,
      locale: customer.locale,
      ageBand: customer.ageBand,
      gender: customer.gender,
      incomeBand: customer.incomeBand,
      education: customer.education,
      maritalStatus: customer.maritalStatus,
      country: customer.country,
      province: customer.province,
      city: customer.city,
      postcode: customer.postcode,
      devices: customer.devices,
      apps: customer.apps,
      attributes: objectOf(customer.attributes),
      preferredChannel: customer.preferredChannel,
      consents: { surveys: customer.consentSurveys, email: customer.consentEmail, sms: customer.consentSms, phone: customer.consentPhone, unsubscribedAt: iso(customer.unsubscribedAt) },
      customerSince: customer.customerSince.toISOString(),
      churnedAt: iso(customer.churnedAt),
      erasedAt: iso(customer.erasedAt),
      createdAt: customer.createdAt.toISOString(),
      updatedAt: customer.updatedAt.toISOString(),
    },
    orders: orders.map((order) => ({
      id: globalId('Order', order.id),
      externalId: order.externalId,
      amount: order.amount.toFixed(2),
      currency: order.currency,
      orderedAt: order.orderedAt.toISOString(),
      channel: order.channel,
      lines: order.lines,
    })),
    touchpoints: touchpoints.map((touchpoint) => ({
      id: globalId('Touchpoint', touchpoint.id),
      externalId: touchpoint.externalId,
      type: touchpoint.type,
      journeyPhase: touchpoint.journeyPhase,
      occurredAt: touchpoint.occurredAt.toISOString(),
      channel: touchpoint.channel,
      subject: touchpoint.subject,
      attributes: objectOf(touchpoint.attributes),
    })),
    invitations: invitations.map((invitation) => ({
      id: globalId('Invitation', invitation.id),
      survey: { id: globalId('Survey', invitation.survey.id), name: invitation.survey.name },
      channel: invitation.channel,
      status: invitation.status,
      skipReason: invitation.skipReason,
      locale: invitation.locale,
      sentAt: iso(invitation.sentAt),
      openedAt: iso(invitation.openedAt),
      completedAt: iso(invitation.completedAt),
      remindedAt: iso(invitation.remindedAt),
      failureMessage: invitation.failureMessage,
    })),
    responses: responses.map((response) => ({
      id: globalId('SurveyResponse', response.id),
      survey: { id: globalId('Survey', response.survey.id), name: response.survey.name },
      source: response.source,
      channel: response.channel,
      locale: response.locale,
      startedAt: response.startedAt.toISOString(),
      completedAt: iso(response.completedAt),
      answers: response.answers.map((answer) => ({
        questionId: globalId('Question', answer.questionId),
        question: localized<{ text?: string }>(answer.question.texts, response.locale, response.locale)?.text ?? null,
        score: answer.score,
        choices: answer.choices,
        text: answer.text,
        skipped: answer.skipped,
        answeredAt: answer.answeredAt.toISOString(),
      })),
    })),
    reviews: reviews.map((review) => ({
      id: globalId('Review', review.id),
      platform: review.platformCode,
      rating: review.rating,
      ratingMax: review.ratingMax,
      title: review.title,
      text: review.text,
      authorName: review.authorName,
      authorEmail: review.authorEmail,
      orderReference: review.orderReference,
      url: review.url,
      publishedAt: review.publishedAt.toISOString(),
      reply: { text: review.replyText, status: review.replyStatus, repliedAt: iso(review.repliedAt) },
      earlierVersions: review.versions.map((version) => ({ version: version.version, rating: version.rating, title: version.title, text: version.text, replacedAt: version.replacedAt.toISOString() })),
    })),
    reviewInvitations: reviewInvitations.map((invitation) => ({
      id: globalId('ReviewInvitation', invitation.id),
      moment: invitation.moment,
      status: invitation.status,
      skipReason: invitation.skipReason,
      url: invitation.url,
      sentAt: iso(invitation.sentAt),
      createdAt: invitation.createdAt.toISOString(),
    })),
    followUps: followUps.map((followUp) => ({
      id: globalId('FollowUp', followUp.id),
      status: followUp.status,
      score: followUp.score,
      comment: followUp.comment,
      createdAt: followUp.createdAt.toISOString(),
      doneAt: iso(followUp.doneAt),
      customerContactedAt: iso(followUp.customerContactedAt),
      notes: followUp.notes.map((note) => ({ author: note.author, text: note.text, createdAt: note.createdAt.toISOString() })),
    })),
    segmentMemberships: memberships.map((membership) => ({
      segment: { id: globalId('Segment', membership.segment.id), name: membership.segment.name },
      enteredAt: membership.enteredAt.toISOString(),
      leftAt: iso(membership.leftAt),
    })),
    events: events.map((event) => ({ type: event.type, occurredAt: event.occurredAt.toISOString(), data: event.data })),
  };
}
