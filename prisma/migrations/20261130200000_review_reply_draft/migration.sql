-- AlterTable
ALTER TABLE "Review" ADD COLUMN     "replyDraft" TEXT;

