-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "churnAfterDaysWithoutOrder" INTEGER;

