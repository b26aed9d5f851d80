-- AlterEnum
ALTER TYPE "ResponseSource" ADD VALUE 'IMPORT';

-- AlterTable
ALTER TABLE "SurveyResponse" ADD COLUMN     "externalId" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "SurveyResponse_workspaceId_externalId_key" ON "SurveyResponse"("workspaceId", "externalId");

