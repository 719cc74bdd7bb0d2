-- AlterTable
ALTER TABLE "intercepts" ADD COLUMN "parent_tool_intercept_id" TEXT;

