-- PostgreSQL only: intercepts partitioned by month (see prisma/migrations/postgresql/0015_intercepts_partitioned).
-- SQLite keeps one table; this migration exists so both databases carry the same numbered list.
SELECT 1;
