import { Type } from 'typebox';
import type { AppInstance, RouteDeps } from '../app.ts';
import { organizationOf, principalOf } from '../auth.ts';
import { IMPORT_FORMATS, importTimeEntries } from '../../modules/work/index.ts';
import { problem, sendProblem } from '../problem.ts';
import { problemResponses } from '../schemas.ts';

/** A CSV file of up to 10 MiB, sent as a JSON string. */
const IMPORT_BODY_LIMIT = 10 * 1024 * 1024 + 1024;

const ImportBody = Type.Object(
  {
    format: Type.Union(IMPORT_FORMATS.map((format) => Type.Literal(format))),
    csv: Type.String({ minLength: 1, maxLength: 10 * 1024 * 1024, description: 'the content of the exported CSV file' }),
    dryRun: Type.Optional(Type.Boolean({ description: 'read and check the file, write nothing' })),
  },
  { additionalProperties: false },
);

const RowError = Type.Object({
  line: Type.Integer({ description: 'the physical line of the file; the header is line 1' }),
  column: Type.String(),
  field: Type.String({ description: 'the column again, as every problem names its field' }),
  message: Type.String(),
});

const ImportResponse = Type.Object({
  total: Type.Integer(),
  imported: Type.Integer(),
  skipped: Type.Integer({ description: 'rows imported before, left alone' }),
  dryRun: Type.Boolean(),
  preview: Type.Array(Type.Object({
    line: Type.Integer(), date: Type.String(), projectName: Type.String(), taskName: Type.Union([Type.String(), Type.Null()]),
    userEmail: Type.Union([Type.String(), Type.Null()]), minutes: Type.Integer(), description: Type.String(), billable: Type.Boolean(),
    duplicate: Type.Boolean(),
  })),
  errors: Type.Array(RowError),
});

const RejectedImport = Type.Object({
  type: Type.String(), title: Type.String(), status: Type.Integer(), detail: Type.String(), code: Type.String(),
  errors: Type.Array(RowError), errorCount: Type.Integer(),
});

export function importRoutes(app: AppInstance, { pool }: RouteDeps): void {
  app.post('/v1/imports/time', {
    bodyLimit: IMPORT_BODY_LIMIT,
    schema: {
      tags: ['work'],
      summary: 'Import time entries from a Toggl, Clockify, Harvest or plain CSV export (all rows or none; rows imported before are skipped)',
      body: ImportBody,
      response: { 200: ImportResponse, ...problemResponses, 422: RejectedImport },
    },
  }, async (request, reply) => {
    const result = await importTimeEntries(pool, organizationOf(request), principalOf(request).userId, request.body);
    if (result.errorCount > 0) {
      const errors = result.errors.map((error) => ({ ...error, field: error.column }));
      const first = errors[0]!;
      const detail = `${result.errorCount} row${result.errorCount === 1 ? '' : 's'} refused, nothing imported; first: line ${first.line}${first.column ? ` ${first.column}` : ''}: ${first.message}`;
      return sendProblem(reply, { ...problem(422, 'import_rejected', detail), errors, errorCount: result.errorCount } as ReturnType<typeof problem>);
    }
    const { errorCount: _, ...body } = result;
    return { ...body, errors: [] };
  });
}
