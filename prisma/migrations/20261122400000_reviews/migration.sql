-- CreateEnum
CREATE TYPE "ReviewConnectionStatus" AS ENUM ('ACTIVE', 'SYNCING', 'RATE_LIMITED', 'AUTH_FAILED', 'FAILING', 'DISABLED');

-- CreateEnum
CREATE TYPE "ReplyStatus" AS ENUM ('NONE', 'DRAFT', 'PUBLISHING', 'PUBLISHED', 'FAILED');

-- CreateEnum
CREATE TYPE "ReviewMoment" AS ENUM ('MANUAL', 'TOUCHPOINT', 'REPEAT_ORDER', 'PROMOTER_SCORE');

-- CreateEnum
CREATE TYPE "ReviewInvitationStatus" AS ENUM ('SENT', 'SKIPPED', 'FAILED');

-- CreateEnum
CREATE TYPE "ReviewAudience" AS ENUM ('ALL', 'PROMOTERS_ONLY');

-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "reviewReplySlaHours" INTEGER,
ADD COLUMN     "reviewReplySlaMaxStars" DOUBLE PRECISION NOT NULL DEFAULT 2;

-- CreateTable
CREATE TABLE "ReviewConnection" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspaceId" UUID NOT NULL,
    "platformCode" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "settings" JSONB NOT NULL DEFAULT '{}',
    "status" "ReviewConnectionStatus" NOT NULL DEFAULT 'ACTIVE',
    "pushSecret" TEXT NOT NULL,
    "syncCursor" TEXT,
    "lastSyncStartedAt" TIMESTAMPTZ(3),
    "lastSyncedAt" TIMESTAMPTZ(3),
    "lastError" TEXT,
    "lastErrorAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReviewConnection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Review" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspaceId" UUID NOT NULL,
    "connectionId" UUID NOT NULL,
    "platformCode" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "rating" DOUBLE PRECISION NOT NULL,
    "ratingMin" DOUBLE PRECISION NOT NULL,
    "ratingMax" DOUBLE PRECISION NOT NULL,
    "ratingNormalised" DOUBLE PRECISION NOT NULL,
    "title" TEXT,
    "text" TEXT,
    "authorName" TEXT,
    "authorEmail" TEXT,
    "orderReference" TEXT,
    "language" TEXT,
    "languageSource" TEXT,
    "url" TEXT,
    "publishedAt" TIMESTAMPTZ(3) NOT NULL,
    "sourceUpdatedAt" TIMESTAMPTZ(3),
    "deletedAt" TIMESTAMPTZ(3),
    "customerId" UUID,
    "contentHash" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "replyText" TEXT,
    "replyStatus" "ReplyStatus" NOT NULL DEFAULT 'NONE',
    "replyAuthor" TEXT,
    "replyError" TEXT,
    "replyUpdatedAt" TIMESTAMPTZ(3),
    "repliedAt" TIMESTAMPTZ(3),
    "replyHours" DOUBLE PRECISION,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Review_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReviewVersion" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspaceId" UUID NOT NULL,
    "reviewId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "rating" DOUBLE PRECISION NOT NULL,
    "title" TEXT,
    "text" TEXT,
    "sourceUpdatedAt" TIMESTAMPTZ(3),
    "replacedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReviewVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReviewInvitation" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspaceId" UUID NOT NULL,
    "connectionId" UUID NOT NULL,
    "customerId" UUID NOT NULL,
    "ruleId" UUID,
    "moment" "ReviewMoment" NOT NULL,
    "sourceKey" TEXT NOT NULL,
    "status" "ReviewInvitationStatus" NOT NULL,
    "skipReason" "SkipReason",
    "duplicate" BOOLEAN NOT NULL DEFAULT false,
    "url" TEXT,
    "failureMessage" TEXT,
    "sentAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReviewInvitation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReviewInvitationRule" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspaceId" UUID NOT NULL,
    "connectionId" UUID NOT NULL,
    "moment" "ReviewMoment" NOT NULL,
    "touchpointType" TEXT,
    "audience" "ReviewAudience" NOT NULL DEFAULT 'ALL',
    "delayHours" INTEGER NOT NULL DEFAULT 24,
    "maxAgeHours" INTEGER NOT NULL DEFAULT 336,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "processedUntil" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReviewInvitationRule_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ReviewConnection_workspaceId_id_key" ON "ReviewConnection"("workspaceId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "ReviewConnection_workspaceId_name_key" ON "ReviewConnection"("workspaceId", "name");

-- CreateIndex
CREATE INDEX "Review_workspaceId_publishedAt_id_idx" ON "Review"("workspaceId", "publishedAt" DESC, "id");

-- CreateIndex
CREATE INDEX "Review_workspaceId_replyStatus_publishedAt_idx" ON "Review"("workspaceId", "replyStatus", "publishedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Review_workspaceId_id_key" ON "Review"("workspaceId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Review_connectionId_externalId_key" ON "Review"("connectionId", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "ReviewVersion_reviewId_version_key" ON "ReviewVersion"("reviewId", "version");

-- CreateIndex
CREATE INDEX "ReviewInvitation_customerId_sentAt_idx" ON "ReviewInvitation"("customerId", "sentAt");

-- CreateIndex
CREATE UNIQUE INDEX "ReviewInvitation_workspaceId_id_key" ON "ReviewInvitation"("workspaceId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "ReviewInvitation_connectionId_customerId_sourceKey_key" ON "ReviewInvitation"("connectionId", "customerId", "sourceKey");

-- CreateIndex
CREATE UNIQUE INDEX "ReviewInvitationRule_workspaceId_id_key" ON "ReviewInvitationRule"("workspaceId", "id");

-- AddForeignKey
ALTER TABLE "ReviewConnection" ADD CONSTRAINT "ReviewConnection_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Review" ADD CONSTRAINT "Review_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Review" ADD CONSTRAINT "Review_workspaceId_connectionId_fkey" FOREIGN KEY ("workspaceId", "connectionId") REFERENCES "ReviewConnection"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Review" ADD CONSTRAINT "Review_workspaceId_customerId_fkey" FOREIGN KEY ("workspaceId", "customerId") REFERENCES "Customer"("workspaceId", "id") ON DELETE SET NULL ("customerId") ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewVersion" ADD CONSTRAINT "ReviewVersion_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewVersion" ADD CONSTRAINT "ReviewVersion_workspaceId_reviewId_fkey" FOREIGN KEY ("workspaceId", "reviewId") REFERENCES "Review"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewInvitation" ADD CONSTRAINT "ReviewInvitation_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewInvitation" ADD CONSTRAINT "ReviewInvitation_workspaceId_connectionId_fkey" FOREIGN KEY ("workspaceId", "connectionId") REFERENCES "ReviewConnection"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewInvitation" ADD CONSTRAINT "ReviewInvitation_workspaceId_customerId_fkey" FOREIGN KEY ("workspaceId", "customerId") REFERENCES "Customer"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewInvitation" ADD CONSTRAINT "ReviewInvitation_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "ReviewInvitationRule"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewInvitationRule" ADD CONSTRAINT "ReviewInvitationRule_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewInvitationRule" ADD CONSTRAINT "ReviewInvitationRule_workspaceId_connectionId_fkey" FOREIGN KEY ("workspaceId", "connectionId") REFERENCES "ReviewConnection"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

