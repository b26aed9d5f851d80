-- CreateEnum
CREATE TYPE "SegmentKind" AS ENUM ('STATIC', 'DYNAMIC');

-- CreateTable
CREATE TABLE "Segment" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspaceId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "kind" "SegmentKind" NOT NULL,
    "modelCode" TEXT,
    "parameters" JSONB NOT NULL DEFAULT '{}',
    "recomputedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Segment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SegmentMembership" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspaceId" UUID NOT NULL,
    "segmentId" UUID NOT NULL,
    "customerId" UUID NOT NULL,
    "enteredAt" TIMESTAMPTZ(3) NOT NULL,
    "leftAt" TIMESTAMPTZ(3),

    CONSTRAINT "SegmentMembership_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Segment_workspaceId_id_key" ON "Segment"("workspaceId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Segment_workspaceId_name_key" ON "Segment"("workspaceId", "name");

-- CreateIndex
CREATE INDEX "SegmentMembership_segmentId_leftAt_customerId_idx" ON "SegmentMembership"("segmentId", "leftAt", "customerId");

-- CreateIndex
CREATE INDEX "SegmentMembership_customerId_segmentId_idx" ON "SegmentMembership"("customerId", "segmentId");

-- CreateIndex
CREATE UNIQUE INDEX "SegmentMembership_workspaceId_id_key" ON "SegmentMembership"("workspaceId", "id");

-- AddForeignKey
ALTER TABLE "Segment" ADD CONSTRAINT "Segment_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SegmentMembership" ADD CONSTRAINT "SegmentMembership_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SegmentMembership" ADD CONSTRAINT "SegmentMembership_workspaceId_segmentId_fkey" FOREIGN KEY ("workspaceId", "segmentId") REFERENCES "Segment"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SegmentMembership" ADD CONSTRAINT "SegmentMembership_workspaceId_customerId_fkey" FOREIGN KEY ("workspaceId", "customerId") REFERENCES "Customer"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;


-- At most one open membership per customer and segment (history rows have leftAt set).
CREATE UNIQUE INDEX "SegmentMembership_open_key" ON "SegmentMembership" ("segmentId", "customerId") WHERE "leftAt" IS NULL;
