-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "retainAuditDays" INTEGER,
ADD COLUMN     "retainEventsDays" INTEGER,
ADD COLUMN     "retainInactiveCustomersMonths" INTEGER,
ADD COLUMN     "retainOpenAnswersMonths" INTEGER;

