-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Salutation" AS ENUM ('MR', 'MS', 'MX', 'NONE');

-- CreateEnum
CREATE TYPE "JourneyPhase" AS ENUM ('AWARENESS', 'CONSIDERATION', 'PURCHASE', 'DELIVERY', 'USE', 'SERVICE', 'LOYALTY');

-- CreateEnum
CREATE TYPE "ContributionKind" AS ENUM ('REVIEW_PLATFORM', 'SURVEY_CHANNEL', 'SEGMENTATION_MODEL');

-- CreateTable
CREATE TABLE "Workspace" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "timeZone" TEXT NOT NULL DEFAULT 'Europe/Amsterdam',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Workspace_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspaceId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "scopes" TEXT[],
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMPTZ(3),
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BusinessUnit" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspaceId" UUID NOT NULL,
    "externalId" TEXT,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BusinessUnit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Customer" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspaceId" UUID NOT NULL,
    "externalId" TEXT,
    "businessUnitId" UUID,
    "firstName" TEXT,
    "infix" TEXT,
    "lastName" TEXT,
    "salutation" "Salutation" NOT NULL DEFAULT 'NONE',
    "email" TEXT,
    "phone" TEXT,
    "locale" TEXT,
    "ageBand" TEXT,
    "gender" TEXT,
    "incomeBand" TEXT,
    "education" TEXT,
    "maritalStatus" TEXT,
    "country" TEXT,
    "province" TEXT,
    "city" TEXT,
    "postcode" TEXT,
    "devices" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "apps" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "preferredChannel" TEXT,
    "consentEmail" BOOLEAN NOT NULL DEFAULT false,
    "consentSms" BOOLEAN NOT NULL DEFAULT false,
    "consentPhone" BOOLEAN NOT NULL DEFAULT false,
    "consentSurveys" BOOLEAN NOT NULL DEFAULT true,
    "unsubscribedAt" TIMESTAMPTZ(3),
    "customerSince" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "churnedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Customer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Order" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspaceId" UUID NOT NULL,
    "externalId" TEXT,
    "customerId" UUID NOT NULL,
    "businessUnitId" UUID,
    "amount" DECIMAL(14,2) NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "orderedAt" TIMESTAMPTZ(3) NOT NULL,
    "channel" TEXT,
    "lines" JSONB NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Touchpoint" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspaceId" UUID NOT NULL,
    "externalId" TEXT,
    "customerId" UUID NOT NULL,
    "orderId" UUID,
    "businessUnitId" UUID,
    "type" TEXT NOT NULL,
    "journeyPhase" "JourneyPhase" NOT NULL,
    "occurredAt" TIMESTAMPTZ(3) NOT NULL,
    "channel" TEXT,
    "subject" TEXT,
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Touchpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PluginContribution" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "kind" "ContributionKind" NOT NULL,
    "code" TEXT NOT NULL,
    "pluginName" TEXT NOT NULL,
    "pluginVersion" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "capabilities" TEXT[],
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "firstSeenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabledAt" TIMESTAMPTZ(3),

    CONSTRAINT "PluginContribution_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_prefix_key" ON "ApiKey"("prefix");

-- CreateIndex
CREATE INDEX "ApiKey_workspaceId_createdAt_idx" ON "ApiKey"("workspaceId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_workspaceId_id_key" ON "ApiKey"("workspaceId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "BusinessUnit_workspaceId_id_key" ON "BusinessUnit"("workspaceId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "BusinessUnit_workspaceId_externalId_key" ON "BusinessUnit"("workspaceId", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "BusinessUnit_workspaceId_name_key" ON "BusinessUnit"("workspaceId", "name");

-- CreateIndex
CREATE INDEX "Customer_workspaceId_createdAt_id_idx" ON "Customer"("workspaceId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Customer_workspaceId_lastName_id_idx" ON "Customer"("workspaceId", "lastName", "id");

-- CreateIndex
CREATE INDEX "Customer_workspaceId_customerSince_id_idx" ON "Customer"("workspaceId", "customerSince", "id");

-- CreateIndex
CREATE INDEX "Customer_workspaceId_email_idx" ON "Customer"("workspaceId", "email");

-- CreateIndex
CREATE UNIQUE INDEX "Customer_workspaceId_id_key" ON "Customer"("workspaceId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Customer_workspaceId_externalId_key" ON "Customer"("workspaceId", "externalId");

-- CreateIndex
CREATE INDEX "Order_customerId_orderedAt_id_idx" ON "Order"("customerId", "orderedAt" DESC, "id");

-- CreateIndex
CREATE INDEX "Order_workspaceId_orderedAt_id_idx" ON "Order"("workspaceId", "orderedAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Order_workspaceId_id_key" ON "Order"("workspaceId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Order_workspaceId_externalId_key" ON "Order"("workspaceId", "externalId");

-- CreateIndex
CREATE INDEX "Touchpoint_customerId_occurredAt_id_idx" ON "Touchpoint"("customerId", "occurredAt" DESC, "id");

-- CreateIndex
CREATE INDEX "Touchpoint_workspaceId_occurredAt_id_idx" ON "Touchpoint"("workspaceId", "occurredAt", "id");

-- CreateIndex
CREATE INDEX "Touchpoint_workspaceId_type_occurredAt_idx" ON "Touchpoint"("workspaceId", "type", "occurredAt");

-- CreateIndex
CREATE UNIQUE INDEX "Touchpoint_workspaceId_id_key" ON "Touchpoint"("workspaceId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Touchpoint_workspaceId_externalId_key" ON "Touchpoint"("workspaceId", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "PluginContribution_kind_code_key" ON "PluginContribution"("kind", "code");

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BusinessUnit" ADD CONSTRAINT "BusinessUnit_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Customer" ADD CONSTRAINT "Customer_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Customer" ADD CONSTRAINT "Customer_workspaceId_businessUnitId_fkey" FOREIGN KEY ("workspaceId", "businessUnitId") REFERENCES "BusinessUnit"("workspaceId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Order" ADD CONSTRAINT "Order_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Order" ADD CONSTRAINT "Order_workspaceId_customerId_fkey" FOREIGN KEY ("workspaceId", "customerId") REFERENCES "Customer"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Order" ADD CONSTRAINT "Order_workspaceId_businessUnitId_fkey" FOREIGN KEY ("workspaceId", "businessUnitId") REFERENCES "BusinessUnit"("workspaceId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Touchpoint" ADD CONSTRAINT "Touchpoint_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Touchpoint" ADD CONSTRAINT "Touchpoint_workspaceId_customerId_fkey" FOREIGN KEY ("workspaceId", "customerId") REFERENCES "Customer"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Touchpoint" ADD CONSTRAINT "Touchpoint_workspaceId_orderId_fkey" FOREIGN KEY ("workspaceId", "orderId") REFERENCES "Order"("workspaceId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Touchpoint" ADD CONSTRAINT "Touchpoint_workspaceId_businessUnitId_fkey" FOREIGN KEY ("workspaceId", "businessUnitId") REFERENCES "BusinessUnit"("workspaceId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

