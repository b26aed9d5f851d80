-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "erasedAt" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "ErasureReceipt" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspaceId" UUID NOT NULL,
    "customerId" UUID NOT NULL,
    "apiKeyId" UUID,
    "counts" JSONB NOT NULL,
    "erasedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ErasureReceipt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ErasureReceipt_workspaceId_id_key" ON "ErasureReceipt"("workspaceId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "ErasureReceipt_workspaceId_customerId_key" ON "ErasureReceipt"("workspaceId", "customerId");

-- A follow-up whose customer was deleted before this key existed loses the dangling reference.
UPDATE "FollowUp" f SET "customerId" = NULL
 WHERE f."customerId" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "Customer" c WHERE c."workspaceId" = f."workspaceId" AND c.id = f."customerId");

-- AddForeignKey
ALTER TABLE "FollowUp" ADD CONSTRAINT "FollowUp_workspaceId_customerId_fkey" FOREIGN KEY ("workspaceId", "customerId") REFERENCES "Customer"("workspaceId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ErasureReceipt" ADD CONSTRAINT "ErasureReceipt_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

