import { sql, type Kysely } from 'kysely'

/**
 * Performance reporting (docs/reporting.md). Monthly counts and one more index follow in
 * 0008_reporting_monthly.
 *
 * Figures are read from `report_daily`: one row per organisation, London date, measure and
 * value, so a dashboard costs the same whether the council holds a thousand concerns or a
 * million. `report_daily` is built from `report_concern_fact` (one row per concern, with the
 * derived values: London dates, age at receipt, working days, repeat concern), which is rebuilt
 * for every concern listed in `report_stale`. Triggers list a concern there whenever anything a
 * figure depends on changes, so no feature has to remember to tell reporting.
 *
 * Restricted concerns are kept out of `report_daily`: they are counted live, only for the people
 * allowed to see them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE report_concern_fact (
      organisation_id uuid NOT NULL,
      concern_id uuid NOT NULL,
      restricted boolean NOT NULL,
      received_at timestamptz NOT NULL,
      received_on date NOT NULL,
      addressed_on date,
      closed_on date,
      service_id uuid NOT NULL,
      at_risk text NOT NULL,
      is_adult boolean NOT NULL,
      age_years integer,
      types text[] NOT NULL,
      location text NOT NULL,
      source_of_risk text,
      decision text,
      risk_level text,
      within_target boolean,
      wd_to_address integer,
      wd_to_close integer,
      sac_outcome text,
      risk_outcome text,
      msp_asked text,
      msp_achieved text,
      reopened boolean NOT NULL,
      person_key text,
      repeat_basis text CHECK (repeat_basis IN ('person_index', 'name_and_date_of_birth', 'name_and_postcode')),
      is_repeat boolean NOT NULL DEFAULT false,
      PRIMARY KEY (organisation_id, concern_id),
      FOREIGN KEY (organisation_id, concern_id) REFERENCES concern (organisation_id, id)
    );
    CREATE INDEX report_fact_received_idx ON report_concern_fact (organisation_id, received_on);
    CREATE INDEX report_fact_addressed_idx ON report_concern_fact (organisation_id, addressed_on) WHERE addressed_on IS NOT NULL;
    CREATE INDEX report_fact_closed_idx ON report_concern_fact (organisation_id, closed_on) WHERE closed_on IS NOT NULL;
    CREATE INDEX report_fact_person_idx ON report_concern_fact (organisation_id, person_key, received_at) WHERE person_key IS NOT NULL;
    CREATE INDEX report_fact_restricted_idx ON report_concern_fact (organisation_id, received_on) WHERE restricted;

    CREATE TABLE report_referral_fact (
      organisation_id uuid NOT NULL,
      referral_id uuid NOT NULL,
      concern_id uuid NOT NULL,
      restricted boolean NOT NULL,
      agency text NOT NULL,
      made_on date NOT NULL,
      PRIMARY KEY (organisation_id, referral_id),
      FOREIGN KEY (organisation_id, concern_id) REFERENCES concern (organisation_id, id)
    );
    CREATE INDEX report_referral_made_idx ON report_referral_fact (organisation_id, made_on);
    CREATE INDEX report_referral_concern_idx ON report_referral_fact (organisation_id, concern_id);

    -- Counts of unrestricted concerns per London date, measure and value (see domain/kpis/measures.ts).
    CREATE TABLE report_daily (
      organisation_id uuid NOT NULL REFERENCES organisation (id),
      day date NOT NULL,
      measure text NOT NULL,
      value text NOT NULL,
      n integer NOT NULL CHECK (n > 0),
      PRIMARY KEY (organisation_id, day, measure, value)
    );
    CREATE INDEX report_daily_measure_idx ON report_daily (organisation_id, measure, day);

    -- Concerns whose facts must be rebuilt. The version lets the refresher delete only what it
    -- read: a change made while it worked bumps the version and keeps the row.
    CREATE TABLE report_stale (
      organisation_id uuid NOT NULL,
      concern_id uuid NOT NULL,
      version integer NOT NULL DEFAULT 1,
      PRIMARY KEY (organisation_id, concern_id)
    );

    -- Days whose report_daily rows must be rebuilt from the facts.
    CREATE TABLE report_stale_day (
      organisation_id uuid NOT NULL,
      day date NOT NULL,
      PRIMARY KEY (organisation_id, day)
    );

    -- One row per organisation, locked by each refresh step so two refreshers never rebuild the same day at once.
    CREATE TABLE report_refresh_state (
      organisation_id uuid PRIMARY KEY REFERENCES organisation (id),
      refreshed_at timestamptz
    );

    CREATE TABLE report_settings (
      organisation_id uuid PRIMARY KEY REFERENCES organisation (id),
      age_band_starts integer[] NOT NULL,
      age_total_from integer,
      version integer NOT NULL DEFAULT 1,
      updated_by uuid,
      updated_at timestamptz NOT NULL,
      FOREIGN KEY (organisation_id, updated_by) REFERENCES app_user (organisation_id, id)
    );

    -- A historical import: validated first, then imported (all valid rows in one transaction) or discarded.
    CREATE TABLE import_batch (
      organisation_id uuid NOT NULL REFERENCES organisation (id),
      id uuid NOT NULL,
      created_by uuid NOT NULL,
      created_at timestamptz NOT NULL,
      file_name text NOT NULL,
      file_format text NOT NULL CHECK (file_format IN ('csv', 'xlsx')),
      file_sha256 text NOT NULL,
      content bytea,
      row_count integer NOT NULL,
      valid_count integer NOT NULL,
      already_imported_count integer NOT NULL,
      problem_count integer NOT NULL,
      problems jsonb NOT NULL DEFAULT '[]'::jsonb,
      status text NOT NULL CHECK (status IN ('validated', 'imported', 'discarded')),
      finished_at timestamptz,
      finished_by uuid,
      imported_count integer,
      version integer NOT NULL DEFAULT 1,
      PRIMARY KEY (organisation_id, id),
      FOREIGN KEY (organisation_id, created_by) REFERENCES app_user (organisation_id, id),
      FOREIGN KEY (organisation_id, finished_by) REFERENCES app_user (organisation_id, id)
    );
    CREATE INDEX import_batch_created_idx ON import_batch (organisation_id, created_at);

    -- Marks a concern as imported, with what the spreadsheet held that a concern has no column for.
    CREATE TABLE concern_import (
      organisation_id uuid NOT NULL,
      concern_id uuid NOT NULL,
      batch_id uuid NOT NULL,
      external_reference text NOT NULL,
      gender text,
      source_of_concern text,
      PRIMARY KEY (organisation_id, concern_id),
      UNIQUE (organisation_id, external_reference),
      FOREIGN KEY (organisation_id, concern_id) REFERENCES concern (organisation_id, id),
      FOREIGN KEY (organisation_id, batch_id) REFERENCES import_batch (organisation_id, id)
    );
    CREATE INDEX concern_import_batch_idx ON concern_import (organisation_id, batch_id);

    -- Concerns not yet addressed are few: the live part of "% within target" reads them by date.
    CREATE INDEX concern_unaddressed_received_idx ON concern (organisation_id, received_at) WHERE addressed_at IS NULL;

    CREATE FUNCTION report_mark_stale(org uuid, concern uuid) RETURNS void LANGUAGE sql AS $$
      INSERT INTO report_stale (organisation_id, concern_id) VALUES (org, concern)
      ON CONFLICT (organisation_id, concern_id) DO UPDATE SET version = report_stale.version + 1
    $$;

    CREATE FUNCTION report_concern_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM report_mark_stale(NEW.organisation_id, NEW.id);
      RETURN NULL;
    END
    $$;
    CREATE TRIGGER concern_report_stale AFTER INSERT OR UPDATE ON concern
      FOR EACH ROW EXECUTE FUNCTION report_concern_changed();

    CREATE FUNCTION report_child_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM report_mark_stale(OLD.organisation_id, OLD.concern_id); END IF;
      IF TG_OP IN ('INSERT', 'UPDATE') THEN PERFORM report_mark_stale(NEW.organisation_id, NEW.concern_id); END IF;
      RETURN NULL;
    END
    $$;
    CREATE TRIGGER onward_referral_report_stale AFTER INSERT OR UPDATE OR DELETE ON onward_referral
      FOR EACH ROW EXECUTE FUNCTION report_child_changed();
    CREATE TRIGGER concern_person_report_stale AFTER INSERT OR UPDATE OR DELETE ON concern_person
      FOR EACH ROW EXECUTE FUNCTION report_child_changed();

    -- Merging people changes who counts as a repeat concern.
    CREATE FUNCTION report_person_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.merged_into_id IS DISTINCT FROM OLD.merged_into_id THEN
        PERFORM report_mark_stale(cp.organisation_id, cp.concern_id)
          FROM concern_person cp
          WHERE cp.organisation_id = NEW.organisation_id AND cp.person_id IN (NEW.id, OLD.merged_into_id, NEW.merged_into_id);
      END IF;
      RETURN NULL;
    END
    $$;
    CREATE TRIGGER person_report_stale AFTER UPDATE ON person
      FOR EACH ROW EXECUTE FUNCTION report_person_changed();

    -- A closure day changes the working days of every concern whose span covers it.
    CREATE FUNCTION report_closure_day_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      org uuid := COALESCE(NEW.organisation_id, OLD.organisation_id);
      d date := COALESCE(NEW.closure_date, OLD.closure_date);
    BEGIN
      PERFORM report_mark_stale(f.organisation_id, f.concern_id)
        FROM report_concern_fact f
        WHERE f.organisation_id = org AND f.received_on <= d AND GREATEST(f.addressed_on, f.closed_on) >= d;
      RETURN NULL;
    END
    $$;
    CREATE TRIGGER closure_day_report_stale AFTER INSERT OR DELETE ON closure_day
      FOR EACH ROW EXECUTE FUNCTION report_closure_day_changed();

    -- The target rule decides day zero, and so the working days to address.
    CREATE FUNCTION report_organisation_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.cut_off_time IS DISTINCT FROM OLD.cut_off_time THEN
        PERFORM report_mark_stale(c.organisation_id, c.id) FROM concern c WHERE c.organisation_id = NEW.id;
      END IF;
      RETURN NULL;
    END
    $$;
    CREATE TRIGGER organisation_report_stale AFTER UPDATE ON organisation
      FOR EACH ROW EXECUTE FUNCTION report_organisation_changed();

    -- Concerns that existed before reporting: facts are built on first use.
    INSERT INTO report_stale (organisation_id, concern_id) SELECT organisation_id, id FROM concern;
  `.execute(db)
}

export async function down(): Promise<void> {
  throw new Error('Kestrel migrations are forward-only: restore a backup to go back.')
}
