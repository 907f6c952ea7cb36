import { sql, type Kysely } from 'kysely'

/**
 * Foundation schema. Every organisation-owned table has organisation_id first in its primary key
 * and in every foreign key, so the schema can be distributed by organisation (Citus) later.
 * Deliberate exceptions (see docs/adr/0002-global-tables.md): bank_holiday (reference data),
 * http_session and sign_in_failure (they exist before anyone is known to belong to an organisation).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE organisation (
      id uuid PRIMARY KEY,
      name text NOT NULL,
      slug text NOT NULL UNIQUE,
      target_working_days integer NOT NULL DEFAULT 2 CHECK (target_working_days BETWEEN 1 AND 20),
      cut_off_time text CHECK (cut_off_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
      reference_prefix text NOT NULL DEFAULT 'SG' CHECK (reference_prefix ~ '^[A-Z]{1,6}$'),
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE service (
      organisation_id uuid NOT NULL REFERENCES organisation (id),
      id uuid NOT NULL,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
      active boolean NOT NULL DEFAULT true,
      sort_order integer NOT NULL DEFAULT 0,
      PRIMARY KEY (organisation_id, id),
      UNIQUE (organisation_id, name)
    );

    CREATE TABLE app_user (
      organisation_id uuid NOT NULL REFERENCES organisation (id),
      id uuid NOT NULL,
      email text NOT NULL CHECK (email = lower(email) AND length(email) <= 254),
      display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 120),
      password_hash text,
      must_change_password boolean NOT NULL DEFAULT false,
      service_id uuid,
      active boolean NOT NULL DEFAULT true,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      deactivated_at timestamptz,
      PRIMARY KEY (organisation_id, id),
      FOREIGN KEY (organisation_id, service_id) REFERENCES service (organisation_id, id)
    );
    -- Sign-in starts from an email address alone, so it must name exactly one account.
    CREATE UNIQUE INDEX app_user_email_key ON app_user (email);

    CREATE TABLE user_role (
      organisation_id uuid NOT NULL,
      user_id uuid NOT NULL,
      role text NOT NULL CHECK (role IN ('dso', 'safeguarding_manager', 'senior_lead_officer', 'auditor', 'admin')),
      granted_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (organisation_id, user_id, role),
      FOREIGN KEY (organisation_id, user_id) REFERENCES app_user (organisation_id, id)
    );

    CREATE TABLE http_session (
      sid text PRIMARY KEY,
      organisation_id uuid,
      user_id uuid,
      data jsonb NOT NULL,
      expires_at timestamptz NOT NULL
    );
    CREATE INDEX http_session_user_idx ON http_session (organisation_id, user_id);
    CREATE INDEX http_session_expires_idx ON http_session (expires_at);

    CREATE TABLE sign_in_failure (
      id uuid PRIMARY KEY,
      throttle_key text NOT NULL,
      occurred_at timestamptz NOT NULL
    );
    CREATE INDEX sign_in_failure_key_idx ON sign_in_failure (throttle_key, occurred_at);

    CREATE TABLE bank_holiday (
      division text NOT NULL,
      holiday_date date NOT NULL,
      title text NOT NULL,
      PRIMARY KEY (division, holiday_date)
    );

    CREATE TABLE closure_day (
      organisation_id uuid NOT NULL REFERENCES organisation (id),
      closure_date date NOT NULL,
      reason text NOT NULL,
      PRIMARY KEY (organisation_id, closure_date)
    );

    CREATE TABLE reference_counter (
      organisation_id uuid NOT NULL REFERENCES organisation (id),
      year integer NOT NULL,
      last_value integer NOT NULL,
      PRIMARY KEY (organisation_id, year)
    );

    CREATE TABLE concern (
      organisation_id uuid NOT NULL,
      id uuid NOT NULL,
      reference text NOT NULL,
      submission_key uuid NOT NULL,
      status text NOT NULL DEFAULT 'submitted'
        CHECK (status IN ('submitted', 'allocated', 'open', 'closure_requested', 'closed')),
      referrer_user_id uuid NOT NULL,
      referrer_service_id uuid NOT NULL,
      received_at timestamptz NOT NULL,
      due_at timestamptz NOT NULL,
      -- What the referrer entered, exactly as entered. Never updated.
      at_risk text NOT NULL CHECK (at_risk IN ('adult', 'child', 'unborn', 'household')),
      person_name text NOT NULL,
      person_known_as text,
      person_date_of_birth date,
      person_age_years integer CHECK (person_age_years BETWEEN 0 AND 130),
      person_address text,
      person_postcode text,
      household_members text,
      what_happened text NOT NULL,
      concern_types text[] NOT NULL,
      location text NOT NULL,
      happened_on date,
      immediate_danger boolean NOT NULL,
      person_aware text NOT NULL,
      addressed_at timestamptz,
      closed_at timestamptz,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (organisation_id, id),
      UNIQUE (organisation_id, reference),
      UNIQUE (organisation_id, submission_key),
      FOREIGN KEY (organisation_id, referrer_user_id) REFERENCES app_user (organisation_id, id),
      FOREIGN KEY (organisation_id, referrer_service_id) REFERENCES service (organisation_id, id)
    );
    CREATE INDEX concern_status_due_idx ON concern (organisation_id, status, due_at);
    CREATE INDEX concern_referrer_idx ON concern (organisation_id, referrer_user_id, received_at);
    CREATE INDEX concern_received_idx ON concern (organisation_id, received_at);

    CREATE TABLE audit_event (
      organisation_id uuid NOT NULL REFERENCES organisation (id),
      seq bigint NOT NULL,
      id uuid NOT NULL,
      occurred_at timestamptz NOT NULL,
      actor_user_id uuid,
      action text NOT NULL,
      outcome text NOT NULL CHECK (outcome IN ('success', 'denied', 'failure')),
      record_type text,
      record_id uuid,
      request_id text,
      details jsonb NOT NULL DEFAULT '{}'::jsonb,
      prev_hash text NOT NULL,
      hash text NOT NULL,
      PRIMARY KEY (organisation_id, seq)
    );
    CREATE INDEX audit_event_record_idx ON audit_event (organisation_id, record_type, record_id, occurred_at);
    CREATE INDEX audit_event_actor_idx ON audit_event (organisation_id, actor_user_id, occurred_at);

    -- One row per organisation: locking it orders that organisation's audit rows into one chain.
    CREATE TABLE audit_chain_head (
      organisation_id uuid PRIMARY KEY REFERENCES organisation (id),
      last_seq bigint NOT NULL,
      last_hash text NOT NULL
    );

    -- Audit rows are append-only for everyone who connects, the application included.
    CREATE FUNCTION audit_event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_event is append-only (% refused)', TG_OP;
    END
    $$;
    CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_event
      FOR EACH ROW EXECUTE FUNCTION audit_event_is_append_only();
    CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
      FOR EACH STATEMENT EXECUTE FUNCTION audit_event_is_append_only();
  `.execute(db)
}

export async function down(): Promise<void> {
  throw new Error('Kestrel migrations are forward-only: restore a backup to go back.')
}
