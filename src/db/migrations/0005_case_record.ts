import { sql, type Kysely } from 'kysely'

/**
 * The case record (issue 4): notes, tasks and documents on a concern, break-glass access to
 * restricted cases, the weekly case review meeting with its agenda and outcomes, closure
 * requests and their decisions, reopenings, and the person index's merge history and fuzzy
 * name search (pg_trgm).
 *
 * Records people rely on as evidence are append-only (notes, documents, break-glass access,
 * closure decisions are filled in once): a trigger refuses UPDATE and DELETE, and a correction is
 * a new row that points at the one it corrects.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE EXTENSION IF NOT EXISTS pg_trgm;

    -- Fuzzy matching on names (similarity on lower-cased names and other names).
    CREATE INDEX person_name_trgm_idx ON person USING gin (lower(name) gin_trgm_ops);
    CREATE INDEX person_other_names_trgm_idx ON person USING gin (lower(coalesce(other_names, '')) gin_trgm_ops);
    CREATE INDEX person_merged_into_idx ON person (organisation_id, merged_into_id) WHERE merged_into_id IS NOT NULL;

    -- Manual chronology entries come from a form: a submission key makes a double submit add one.
    ALTER TABLE chronology_entry ADD COLUMN submission_key uuid;
    CREATE UNIQUE INDEX chronology_entry_submission_key_idx ON chronology_entry (organisation_id, submission_key) WHERE submission_key IS NOT NULL;

    CREATE FUNCTION case_record_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP;
    END
    $$;

    CREATE TABLE case_note (
      organisation_id uuid NOT NULL,
      id uuid NOT NULL,
      concern_id uuid NOT NULL,
      body text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
      author_id uuid NOT NULL,
      created_at timestamptz NOT NULL,
      corrects_id uuid,
      submission_key uuid NOT NULL,
      PRIMARY KEY (organisation_id, id),
      UNIQUE (organisation_id, submission_key),
      FOREIGN KEY (organisation_id, concern_id) REFERENCES concern (organisation_id, id),
      FOREIGN KEY (organisation_id, author_id) REFERENCES app_user (organisation_id, id),
      FOREIGN KEY (organisation_id, corrects_id) REFERENCES case_note (organisation_id, id)
    );
    CREATE INDEX case_note_concern_idx ON case_note (organisation_id, concern_id, created_at);
    CREATE TRIGGER case_note_no_change BEFORE UPDATE OR DELETE ON case_note
      FOR EACH ROW EXECUTE FUNCTION case_record_is_append_only();

    -- The weekly case review meeting (seed 000 §4.3). One per date.
    CREATE TABLE review_meeting (
      organisation_id uuid NOT NULL,
      id uuid NOT NULL,
      meeting_date date NOT NULL,
      created_by uuid NOT NULL,
      created_at timestamptz NOT NULL,
      completed_at timestamptz,
      completed_by uuid,
      version integer NOT NULL DEFAULT 1,
      submission_key uuid NOT NULL,
      PRIMARY KEY (organisation_id, id),
      UNIQUE (organisation_id, meeting_date),
      UNIQUE (organisation_id, submission_key),
      FOREIGN KEY (organisation_id, created_by) REFERENCES app_user (organisation_id, id),
      FOREIGN KEY (organisation_id, completed_by) REFERENCES app_user (organisation_id, id)
    );

    CREATE TABLE review_meeting_attendee (
      organisation_id uuid NOT NULL,
      meeting_id uuid NOT NULL,
      user_id uuid NOT NULL,
      PRIMARY KEY (organisation_id, meeting_id, user_id),
      FOREIGN KEY (organisation_id, meeting_id) REFERENCES review_meeting (organisation_id, id),
      FOREIGN KEY (organisation_id, user_id) REFERENCES app_user (organisation_id, id)
    );

    -- One agenda line per case per meeting: why it is there (kind and flags, fixed when the
    -- agenda was built) and, once discussed, the outcome agreed.
    CREATE TABLE review_item (
      organisation_id uuid NOT NULL,
      id uuid NOT NULL,
      meeting_id uuid NOT NULL,
      concern_id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('first_review', 'progress_check', 'final_review')),
      flags text[] NOT NULL DEFAULT '{}',
      position integer NOT NULL,
      outcome text CHECK (outcome IN ('agreed', 'actions_set', 'escalate')),
      notes text,
      recorded_by uuid,
      recorded_at timestamptz,
      version integer NOT NULL DEFAULT 1,
      PRIMARY KEY (organisation_id, id),
      UNIQUE (organisation_id, meeting_id, concern_id),
      FOREIGN KEY (organisation_id, meeting_id) REFERENCES review_meeting (organisation_id, id),
      FOREIGN KEY (organisation_id, concern_id) REFERENCES concern (organisation_id, id),
      FOREIGN KEY (organisation_id, recorded_by) REFERENCES app_user (organisation_id, id),
      CHECK ((outcome IS NULL) = (recorded_at IS NULL))
    );
    CREATE INDEX review_item_concern_idx ON review_item (organisation_id, concern_id, kind);

    CREATE TABLE case_task (
      organisation_id uuid NOT NULL,
      id uuid NOT NULL,
      concern_id uuid NOT NULL,
      title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
      details text,
      assignee_id uuid NOT NULL,
      due_on date NOT NULL,
      created_by uuid NOT NULL,
      created_at timestamptz NOT NULL,
      review_item_id uuid,
      completed_at timestamptz,
      completed_by uuid,
      completion_note text,
      version integer NOT NULL DEFAULT 1,
      submission_key uuid NOT NULL,
      PRIMARY KEY (organisation_id, id),
      UNIQUE (organisation_id, submission_key),
      FOREIGN KEY (organisation_id, concern_id) REFERENCES concern (organisation_id, id),
      FOREIGN KEY (organisation_id, assignee_id) REFERENCES app_user (organisation_id, id),
      FOREIGN KEY (organisation_id, created_by) REFERENCES app_user (organisation_id, id),
      FOREIGN KEY (organisation_id, completed_by) REFERENCES app_user (organisation_id, id),
      FOREIGN KEY (organisation_id, review_item_id) REFERENCES review_item (organisation_id, id),
      CHECK ((completed_at IS NULL) = (completed_by IS NULL))
    );
    CREATE INDEX case_task_concern_idx ON case_task (organisation_id, concern_id, due_on);
    CREATE INDEX case_task_assignee_open_idx ON case_task (organisation_id, assignee_id, due_on) WHERE completed_at IS NULL;

    -- Documents: metadata here, the bytes in document_content (read only for a download), so
    -- lists never load files and every app instance and backup has them.
    CREATE TABLE case_document (
      organisation_id uuid NOT NULL,
      id uuid NOT NULL,
      concern_id uuid NOT NULL,
      original_name text NOT NULL CHECK (length(original_name) BETWEEN 1 AND 255),
      file_type text NOT NULL,
      size_bytes integer NOT NULL CHECK (size_bytes > 0),
      sha256 text NOT NULL,
      description text,
      uploaded_by uuid NOT NULL,
      uploaded_at timestamptz NOT NULL,
      submission_key uuid NOT NULL,
      PRIMARY KEY (organisation_id, id),
      UNIQUE (organisation_id, submission_key),
      FOREIGN KEY (organisation_id, concern_id) REFERENCES concern (organisation_id, id),
      FOREIGN KEY (organisation_id, uploaded_by) REFERENCES app_user (organisation_id, id)
    );
    CREATE INDEX case_document_concern_idx ON case_document (organisation_id, concern_id, uploaded_at);
    CREATE TRIGGER case_document_no_change BEFORE UPDATE OR DELETE ON case_document
      FOR EACH ROW EXECUTE FUNCTION case_record_is_append_only();

    CREATE TABLE document_content (
      organisation_id uuid NOT NULL,
      document_id uuid NOT NULL,
      content bytea NOT NULL,
      PRIMARY KEY (organisation_id, document_id),
      FOREIGN KEY (organisation_id, document_id) REFERENCES case_document (organisation_id, id)
    );
    CREATE TRIGGER document_content_no_change BEFORE UPDATE OR DELETE ON document_content
      FOR EACH ROW EXECUTE FUNCTION case_record_is_append_only();

    -- A manager not named on a restricted case opened it, giving a reason; valid until expires_at.
    CREATE TABLE break_glass_access (
      organisation_id uuid NOT NULL,
      id uuid NOT NULL,
      concern_id uuid NOT NULL,
      user_id uuid NOT NULL,
      reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
      opened_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      PRIMARY KEY (organisation_id, id),
      FOREIGN KEY (organisation_id, concern_id) REFERENCES concern (organisation_id, id),
      FOREIGN KEY (organisation_id, user_id) REFERENCES app_user (organisation_id, id),
      CHECK (expires_at > opened_at)
    );
    CREATE INDEX break_glass_user_idx ON break_glass_access (organisation_id, user_id, concern_id, expires_at);
    CREATE TRIGGER break_glass_access_no_change BEFORE UPDATE OR DELETE ON break_glass_access
      FOR EACH ROW EXECUTE FUNCTION case_record_is_append_only();

    -- Every closure request, with the Senior Lead Officer's decision once made.
    CREATE TABLE closure_request (
      organisation_id uuid NOT NULL,
      id uuid NOT NULL,
      concern_id uuid NOT NULL,
      requested_by uuid NOT NULL,
      requested_at timestamptz NOT NULL,
      closing_summary text NOT NULL,
      sac_outcome text,
      risk_outcome text,
      msp_asked text,
      msp_achieved text,
      decision text CHECK (decision IN ('approved', 'returned')),
      decided_by uuid,
      decided_at timestamptz,
      comments text,
      submission_key uuid NOT NULL,
      PRIMARY KEY (organisation_id, id),
      UNIQUE (organisation_id, submission_key),
      FOREIGN KEY (organisation_id, concern_id) REFERENCES concern (organisation_id, id),
      FOREIGN KEY (organisation_id, requested_by) REFERENCES app_user (organisation_id, id),
      FOREIGN KEY (organisation_id, decided_by) REFERENCES app_user (organisation_id, id),
      CHECK ((decision IS NULL) = (decided_at IS NULL)),
      CHECK (decision IS DISTINCT FROM 'returned' OR comments IS NOT NULL)
    );
    CREATE INDEX closure_request_concern_idx ON closure_request (organisation_id, concern_id, requested_at);

    CREATE TABLE case_reopening (
      organisation_id uuid NOT NULL,
      id uuid NOT NULL,
      concern_id uuid NOT NULL,
      reopened_by uuid NOT NULL,
      reopened_at timestamptz NOT NULL,
      reason text NOT NULL,
      PRIMARY KEY (organisation_id, id),
      FOREIGN KEY (organisation_id, concern_id) REFERENCES concern (organisation_id, id),
      FOREIGN KEY (organisation_id, reopened_by) REFERENCES app_user (organisation_id, id)
    );
    CREATE INDEX case_reopening_concern_idx ON case_reopening (organisation_id, concern_id);

    -- Merging two person records: the merged one points at the survivor (person.merged_into_id);
    -- links to concerns are never moved, so undoing a merge restores exactly what was there.
    -- moved_ids lists records that had earlier been merged into the merged one and were
    -- re-pointed at the survivor, so an undo puts them back too.
    CREATE TABLE person_merge (
      organisation_id uuid NOT NULL,
      id uuid NOT NULL,
      survivor_id uuid NOT NULL,
      merged_id uuid NOT NULL,
      moved_ids uuid[] NOT NULL DEFAULT '{}',
      reason text NOT NULL,
      merged_by uuid NOT NULL,
      merged_at timestamptz NOT NULL,
      undone_at timestamptz,
      undone_by uuid,
      undo_reason text,
      PRIMARY KEY (organisation_id, id),
      FOREIGN KEY (organisation_id, survivor_id) REFERENCES person (organisation_id, id),
      FOREIGN KEY (organisation_id, merged_id) REFERENCES person (organisation_id, id),
      FOREIGN KEY (organisation_id, merged_by) REFERENCES app_user (organisation_id, id),
      FOREIGN KEY (organisation_id, undone_by) REFERENCES app_user (organisation_id, id),
      CHECK (survivor_id <> merged_id)
    );
    CREATE INDEX person_merge_people_idx ON person_merge (organisation_id, survivor_id);
    CREATE INDEX person_merge_merged_idx ON person_merge (organisation_id, merged_id);
  `.execute(db)
}

export async function down(): Promise<void> {
  throw new Error('Kestrel migrations are forward-only: restore a backup to go back.')
}
