-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "accentColor" TEXT,
ADD COLUMN     "companyName" TEXT,
ADD COLUMN     "logoUrl" TEXT,
ADD COLUMN     "senderName" TEXT;

-- AlterTable
ALTER TABLE "Survey" ADD COLUMN     "ownerEmail" TEXT,
ADD COLUMN     "ownerName" TEXT;

