-- Reviews find their customer by e-mail case-insensitively:
-- lower(email) = <lower-cased address>. Without this index each lookup read every customer of
-- the workspace. Prisma's schema language cannot state an expression index, so it lives here only.
CREATE INDEX "Customer_workspaceId_lower_email_idx" ON "Customer" ("workspaceId", lower("email"));
