import { sql, type Kysely } from 'kysely'

/**
 * Retention-driven disposal (design notes, domain.md "Records and retention"): retention periods
 * per organisation, legal holds, and a two-person disposal record. Disposal removes a case's
 * content but keeps a tombstone (reference, dates, coded fields for the statistics) and the audit
 * trail. The append-only evidence tables accept a DELETE only inside `kestrel_dispose_evidence`,
 * which runs as the tables' owner and checks the disposal was approved by a second person.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE concern ADD COLUMN disposed_at timestamptz;
    CREATE INDEX concern_closed_retained_idx ON concern (organisation_id, closed_at) WHERE closed_at IS NOT NULL AND disposed_at IS NULL;

    CREATE TABLE retention_setting (
      organisation_id uuid PRIMARY KEY REFERENCES organisation (id),
      adult_years_after_closure integer NOT NULL CHECK (adult_years_after_closure BETWEEN 1 AND 100),
      child_until_age integer NOT NULL CHECK (child_until_age BETWEEN 18 AND 100),
      child_years_after_closure integer NOT NULL CHECK (child_years_after_closure BETWEEN 1 AND 100),
      disposal_paused boolean NOT NULL DEFAULT false,
      paused_reason text,
      updated_by uuid,
      updated_at timestamptz NOT NULL,
      version integer NOT NULL DEFAULT 1,
      CHECK (NOT disposal_paused OR paused_reason IS NOT NULL)
    );

    CREATE TABLE legal_hold (
      organisation_id uuid NOT NULL,
      id uuid NOT NULL,
      concern_id uuid NOT NULL,
      reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
      placed_by uuid NOT NULL,
      placed_at timestamptz NOT NULL,
      lifted_by uuid,
      lifted_at timestamptz,
      lift_reason text,
      PRIMARY KEY (organisation_id, id),
      FOREIGN KEY (organisation_id, concern_id) REFERENCES concern (organisation_id, id),
      FOREIGN KEY (organisation_id, placed_by) REFERENCES app_user (organisation_id, id),
      FOREIGN KEY (organisation_id, lifted_by) REFERENCES app_user (organisation_id, id),
      CHECK ((lifted_at IS NULL) = (lifted_by IS NULL) AND (lifted_at IS NULL) = (lift_reason IS NULL))
    );
    CREATE UNIQUE INDEX legal_hold_active_idx ON legal_hold (organisation_id, concern_id) WHERE lifted_at IS NULL;

    CREATE TABLE disposal (
      organisation_id uuid NOT NULL,
      id uuid NOT NULL,
      concern_id uuid NOT NULL,
      reference text NOT NULL,
      rule text NOT NULL,
      due_on date NOT NULL,
      status text NOT NULL CHECK (status IN ('proposed', 'withdrawn', 'disposed')),
      proposed_by uuid NOT NULL,
      proposed_at timestamptz NOT NULL,
      decided_by uuid,
      decided_at timestamptz,
      version integer NOT NULL DEFAULT 1,
      PRIMARY KEY (organisation_id, id),
      FOREIGN KEY (organisation_id, concern_id) REFERENCES concern (organisation_id, id),
      FOREIGN KEY (organisation_id, proposed_by) REFERENCES app_user (organisation_id, id),
      FOREIGN KEY (organisation_id, decided_by) REFERENCES app_user (organisation_id, id),
      CHECK ((status = 'proposed') = (decided_at IS NULL) AND (decided_at IS NULL) = (decided_by IS NULL)),
      -- Two people: whoever proposed a disposal cannot be the one who approves it.
      CHECK (status <> 'disposed' OR decided_by <> proposed_by)
    );
    CREATE UNIQUE INDEX disposal_open_idx ON disposal (organisation_id, concern_id) WHERE status <> 'withdrawn';
    CREATE INDEX disposal_decided_idx ON disposal (organisation_id, decided_at) WHERE status = 'disposed';

    -- The evidence tables stay append-only, except for the rows of the one case that
    -- kestrel_dispose_evidence is disposing of in this transaction.
    CREATE OR REPLACE FUNCTION chronology_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' AND OLD.concern_id::text = current_setting('kestrel.disposing', true) THEN RETURN OLD; END IF;
      RAISE EXCEPTION 'chronology_entry is append-only (% refused)', TG_OP;
    END
    $$;
    CREATE OR REPLACE FUNCTION case_record_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      disposing text := current_setting('kestrel.disposing', true);
    BEGIN
      IF TG_OP = 'DELETE' AND disposing IS NOT NULL AND disposing <> '' AND (
        CASE WHEN TG_TABLE_NAME = 'document_content'
          THEN EXISTS (SELECT 1 FROM case_document d WHERE d.organisation_id = OLD.organisation_id AND d.id::text = to_jsonb(OLD) ->> 'document_id' AND d.concern_id::text = disposing)
          ELSE to_jsonb(OLD) ->> 'concern_id' = disposing
        END) THEN
        RETURN OLD;
      END IF;
      RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP;
    END
    $$;

    CREATE FUNCTION kestrel_dispose_evidence(p_organisation uuid, p_concern uuid, p_disposal uuid) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    BEGIN
      IF NOT EXISTS (
        SELECT 1 FROM disposal d JOIN concern c ON c.organisation_id = d.organisation_id AND c.id = d.concern_id
        WHERE d.organisation_id = p_organisation AND d.id = p_disposal AND d.concern_id = p_concern
          AND d.status = 'disposed' AND d.decided_by <> d.proposed_by AND c.status = 'closed'
      ) THEN
        RAISE EXCEPTION 'case % has no disposal approved by a second person', p_concern;
      END IF;
      IF EXISTS (SELECT 1 FROM legal_hold h WHERE h.organisation_id = p_organisation AND h.concern_id = p_concern AND h.lifted_at IS NULL) THEN
        RAISE EXCEPTION 'case % is under a legal hold', p_concern;
      END IF;
      IF EXISTS (SELECT 1 FROM retention_setting s WHERE s.organisation_id = p_organisation AND s.disposal_paused) THEN
        RAISE EXCEPTION 'disposal is paused for this organisation';
      END IF;
      PERFORM set_config('kestrel.disposing', p_concern::text, true);
      DELETE FROM document_content dc USING case_document d
        WHERE dc.organisation_id = p_organisation AND d.organisation_id = p_organisation AND dc.document_id = d.id AND d.concern_id = p_concern;
      DELETE FROM case_document WHERE organisation_id = p_organisation AND concern_id = p_concern;
      DELETE FROM case_note WHERE organisation_id = p_organisation AND concern_id = p_concern;
      DELETE FROM chronology_entry WHERE organisation_id = p_organisation AND concern_id = p_concern;
      DELETE FROM break_glass_access WHERE organisation_id = p_organisation AND concern_id = p_concern;
      PERFORM set_config('kestrel.disposing', '', true);
    END
    $$;
  `.execute(db)
}

export async function down(): Promise<void> {
  throw new Error('Kestrel migrations are forward-only: restore a backup to go back.')
}
