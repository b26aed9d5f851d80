import { sql } from 'kysely';

/** The improvement actions' statements beside the Prisma model calls, built with the typed seam (src/db/kysely.ts). */

export interface YouSaidWeDid {
  said: string;
  did: string;
  doneAt: Date | null;
}

/** Published, done actions with their public texts in the language (else the first language there is), newest first. */
export const publishedActions = (workspaceId: string, language: string, limit: number) =>
  sql<YouSaidWeDid>`
    SELECT COALESCE(t.texts ->> 'said', '') AS said, COALESCE(t.texts ->> 'did', '') AS did, a."doneAt"
      FROM "ImprovementAction" a
      CROSS JOIN LATERAL (SELECT COALESCE(a."publicTexts" -> ${language}::text, (SELECT v FROM jsonb_each(a."publicTexts") e(k, v) ORDER BY k LIMIT 1)) AS texts) t
     WHERE a."workspaceId" = ${workspaceId}::uuid AND a.status = 'DONE' AND a."publishedAt" IS NOT NULL AND t.texts IS NOT NULL
     ORDER BY a."publishedAt" DESC, a.id LIMIT ${limit}`;
