-- CreateEnum
CREATE TYPE "OwnerMailKind" AS ENUM ('FOLLOW_UP_RAISED', 'WEEKLY_DIGEST');

-- CreateEnum
CREATE TYPE "OwnerMailStatus" AS ENUM ('PENDING', 'SENDING', 'SENT', 'SKIPPED', 'FAILED');

-- CreateTable
CREATE TABLE "OwnerMailPreference" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspaceId" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "followUpRaised" BOOLEAN NOT NULL DEFAULT true,
    "weeklyDigest" BOOLEAN NOT NULL DEFAULT false,
    "locale" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OwnerMailPreference_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OwnerMail" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspaceId" UUID NOT NULL,
    "kind" "OwnerMailKind" NOT NULL,
    "email" TEXT NOT NULL,
    "followUpId" UUID,
    "key" TEXT NOT NULL,
    "status" "OwnerMailStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3) NOT NULL,
    "lockedUntil" TIMESTAMPTZ(3),
    "lastError" TEXT,
    "sentAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OwnerMail_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "OwnerMailPreference_workspaceId_email_key" ON "OwnerMailPreference"("workspaceId", "email");

-- CreateIndex
CREATE INDEX "OwnerMail_status_nextAttemptAt_idx" ON "OwnerMail"("status", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "OwnerMail_workspaceId_kind_email_key_key" ON "OwnerMail"("workspaceId", "kind", "email", "key");

-- AddForeignKey
ALTER TABLE "OwnerMailPreference" ADD CONSTRAINT "OwnerMailPreference_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OwnerMail" ADD CONSTRAINT "OwnerMail_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OwnerMail" ADD CONSTRAINT "OwnerMail_followUpId_fkey" FOREIGN KEY ("followUpId") REFERENCES "FollowUp"("id") ON DELETE CASCADE ON UPDATE CASCADE;

