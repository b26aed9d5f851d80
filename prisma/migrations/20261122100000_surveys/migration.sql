-- Foreign keys of Invitation.touchpointId, SurveyResponse.invitationId and SurveyResponse.customerId are
-- edited by hand to ON DELETE SET NULL (column): deleting a customer or touchpoint keeps the responses, anonymised.
-- CreateEnum
CREATE TYPE "SurveyKind" AS ENUM ('NPS', 'CSAT', 'CES', 'CUSTOM');

-- CreateEnum
CREATE TYPE "SurveyStatus" AS ENUM ('DRAFT', 'ACTIVE', 'CLOSED');

-- CreateEnum
CREATE TYPE "QuestionType" AS ENUM ('NPS', 'CSAT', 'CES', 'RATING', 'SINGLE_CHOICE', 'MULTIPLE_CHOICE', 'OPEN_TEXT');

-- CreateEnum
CREATE TYPE "InvitationStatus" AS ENUM ('SCHEDULED', 'SKIPPED', 'SENDING', 'SENT', 'DELIVERED', 'OPENED', 'STARTED', 'COMPLETED', 'REMINDED', 'BOUNCED', 'FAILED', 'EXPIRED');

-- CreateEnum
CREATE TYPE "SkipReason" AS ENUM ('CONTACT_CAP', 'NO_CONSENT', 'UNSUBSCRIBED', 'TOO_OLD', 'NO_CHANNEL', 'NO_ADDRESS', 'SURVEY_NOT_ACTIVE');

-- CreateEnum
CREATE TYPE "ResponseSource" AS ENUM ('PAGE', 'WIDGET', 'IN_APP', 'PHONE', 'API');

-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "contactCap" INTEGER NOT NULL DEFAULT 2,
ADD COLUMN     "contactPeriodDays" INTEGER NOT NULL DEFAULT 365;

-- CreateTable
CREATE TABLE "Survey" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspaceId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "SurveyKind" NOT NULL,
    "status" "SurveyStatus" NOT NULL DEFAULT 'DRAFT',
    "defaultLocale" TEXT NOT NULL DEFAULT 'nl',
    "texts" JSONB NOT NULL DEFAULT '{}',
    "channel" TEXT,
    "triggerTouchpointTypes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "triggerJourneyPhases" "JourneyPhase"[] DEFAULT ARRAY[]::"JourneyPhase"[],
    "delayHours" INTEGER NOT NULL DEFAULT 72,
    "maxAgeHours" INTEGER NOT NULL DEFAULT 336,
    "reminderAfterHours" INTEGER DEFAULT 168,
    "expiresAfterDays" INTEGER NOT NULL DEFAULT 30,
    "embedFirstQuestionPercent" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Survey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Question" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspaceId" UUID NOT NULL,
    "surveyId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "type" "QuestionType" NOT NULL,
    "texts" JSONB NOT NULL DEFAULT '{}',
    "scaleMin" INTEGER,
    "scaleMax" INTEGER,
    "options" JSONB NOT NULL DEFAULT '[]',
    "required" BOOLEAN NOT NULL DEFAULT false,
    "ownerName" TEXT,
    "ownerEmail" TEXT,
    "retiredAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Question_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SurveyChannelSetting" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspaceId" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "settings" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SurveyChannelSetting_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Invitation" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspaceId" UUID NOT NULL,
    "surveyId" UUID NOT NULL,
    "customerId" UUID NOT NULL,
    "touchpointId" UUID,
    "channel" TEXT,
    "token" TEXT NOT NULL,
    "status" "InvitationStatus" NOT NULL DEFAULT 'SCHEDULED',
    "variant" TEXT NOT NULL DEFAULT 'A',
    "locale" TEXT NOT NULL,
    "sendAfter" TIMESTAMPTZ(3) NOT NULL,
    "expiresAt" TIMESTAMPTZ(3),
    "sentAt" TIMESTAMPTZ(3),
    "deliveredAt" TIMESTAMPTZ(3),
    "openedAt" TIMESTAMPTZ(3),
    "startedAt" TIMESTAMPTZ(3),
    "completedAt" TIMESTAMPTZ(3),
    "remindedAt" TIMESTAMPTZ(3),
    "bouncedAt" TIMESTAMPTZ(3),
    "failedAt" TIMESTAMPTZ(3),
    "expiredAt" TIMESTAMPTZ(3),
    "skippedAt" TIMESTAMPTZ(3),
    "skipReason" "SkipReason",
    "failureMessage" TEXT,
    "providerMessageId" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "idempotencyKey" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Invitation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SurveyResponse" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspaceId" UUID NOT NULL,
    "surveyId" UUID NOT NULL,
    "invitationId" UUID,
    "customerId" UUID,
    "source" "ResponseSource" NOT NULL,
    "channel" TEXT,
    "locale" TEXT NOT NULL,
    "businessUnitId" UUID,
    "journeyPhase" "JourneyPhase",
    "touchpointType" TEXT,
    "recordedBy" TEXT,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "completedAt" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SurveyResponse_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Answer" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspaceId" UUID NOT NULL,
    "responseId" UUID NOT NULL,
    "questionId" UUID NOT NULL,
    "score" INTEGER,
    "choices" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "text" TEXT,
    "skipped" BOOLEAN NOT NULL DEFAULT false,
    "answeredAt" TIMESTAMPTZ(3) NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Answer_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Survey_workspaceId_createdAt_id_idx" ON "Survey"("workspaceId", "createdAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Survey_workspaceId_id_key" ON "Survey"("workspaceId", "id");

-- CreateIndex
CREATE INDEX "Question_surveyId_position_idx" ON "Question"("surveyId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "Question_workspaceId_id_key" ON "Question"("workspaceId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "SurveyChannelSetting_workspaceId_id_key" ON "SurveyChannelSetting"("workspaceId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "SurveyChannelSetting_workspaceId_code_key" ON "SurveyChannelSetting"("workspaceId", "code");

-- CreateIndex
CREATE UNIQUE INDEX "Invitation_token_key" ON "Invitation"("token");

-- CreateIndex
CREATE INDEX "Invitation_status_sendAfter_idx" ON "Invitation"("status", "sendAfter");

-- CreateIndex
CREATE INDEX "Invitation_customerId_sentAt_idx" ON "Invitation"("customerId", "sentAt");

-- CreateIndex
CREATE INDEX "Invitation_workspaceId_surveyId_status_idx" ON "Invitation"("workspaceId", "surveyId", "status");

-- CreateIndex
CREATE INDEX "Invitation_workspaceId_createdAt_id_idx" ON "Invitation"("workspaceId", "createdAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Invitation_workspaceId_id_key" ON "Invitation"("workspaceId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Invitation_surveyId_touchpointId_key" ON "Invitation"("surveyId", "touchpointId");

-- CreateIndex
CREATE UNIQUE INDEX "Invitation_workspaceId_surveyId_customerId_idempotencyKey_key" ON "Invitation"("workspaceId", "surveyId", "customerId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "SurveyResponse_workspaceId_surveyId_startedAt_idx" ON "SurveyResponse"("workspaceId", "surveyId", "startedAt");

-- CreateIndex
CREATE INDEX "SurveyResponse_workspaceId_startedAt_id_idx" ON "SurveyResponse"("workspaceId", "startedAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "SurveyResponse_workspaceId_id_key" ON "SurveyResponse"("workspaceId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "SurveyResponse_workspaceId_invitationId_key" ON "SurveyResponse"("workspaceId", "invitationId");

-- CreateIndex
CREATE INDEX "Answer_questionId_idx" ON "Answer"("questionId");

-- CreateIndex
CREATE UNIQUE INDEX "Answer_workspaceId_id_key" ON "Answer"("workspaceId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Answer_responseId_questionId_key" ON "Answer"("responseId", "questionId");

-- AddForeignKey
ALTER TABLE "Survey" ADD CONSTRAINT "Survey_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Question" ADD CONSTRAINT "Question_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Question" ADD CONSTRAINT "Question_workspaceId_surveyId_fkey" FOREIGN KEY ("workspaceId", "surveyId") REFERENCES "Survey"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SurveyChannelSetting" ADD CONSTRAINT "SurveyChannelSetting_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invitation" ADD CONSTRAINT "Invitation_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invitation" ADD CONSTRAINT "Invitation_workspaceId_surveyId_fkey" FOREIGN KEY ("workspaceId", "surveyId") REFERENCES "Survey"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invitation" ADD CONSTRAINT "Invitation_workspaceId_customerId_fkey" FOREIGN KEY ("workspaceId", "customerId") REFERENCES "Customer"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invitation" ADD CONSTRAINT "Invitation_workspaceId_touchpointId_fkey" FOREIGN KEY ("workspaceId", "touchpointId") REFERENCES "Touchpoint"("workspaceId", "id") ON DELETE SET NULL ("touchpointId") ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SurveyResponse" ADD CONSTRAINT "SurveyResponse_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SurveyResponse" ADD CONSTRAINT "SurveyResponse_workspaceId_surveyId_fkey" FOREIGN KEY ("workspaceId", "surveyId") REFERENCES "Survey"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SurveyResponse" ADD CONSTRAINT "SurveyResponse_workspaceId_invitationId_fkey" FOREIGN KEY ("workspaceId", "invitationId") REFERENCES "Invitation"("workspaceId", "id") ON DELETE SET NULL ("invitationId") ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SurveyResponse" ADD CONSTRAINT "SurveyResponse_workspaceId_customerId_fkey" FOREIGN KEY ("workspaceId", "customerId") REFERENCES "Customer"("workspaceId", "id") ON DELETE SET NULL ("customerId") ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SurveyResponse" ADD CONSTRAINT "SurveyResponse_workspaceId_businessUnitId_fkey" FOREIGN KEY ("workspaceId", "businessUnitId") REFERENCES "BusinessUnit"("workspaceId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Answer" ADD CONSTRAINT "Answer_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Answer" ADD CONSTRAINT "Answer_workspaceId_responseId_fkey" FOREIGN KEY ("workspaceId", "responseId") REFERENCES "SurveyResponse"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Answer" ADD CONSTRAINT "Answer_workspaceId_questionId_fkey" FOREIGN KEY ("workspaceId", "questionId") REFERENCES "Question"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

