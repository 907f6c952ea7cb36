import { sql, type Kysely } from 'kysely'

/**
 * Triage: the duty rota and DSO absences, the editable list of onward agencies, in-app
 * notifications, the email outbox, each organisation's email settings, and the job schedule.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- One row per date someone has edited or generated; its version guards the day's edit form.
    CREATE TABLE rota_date (
      organisation_id uuid NOT NULL REFERENCES organisation (id),
      duty_date date NOT NULL,
      version integer NOT NULL DEFAULT 1,
      updated_by uuid,
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (organisation_id, duty_date),
      FOREIGN KEY (organisation_id, updated_by) REFERENCES app_user (organisation_id, id)
    );

    -- Who is on duty each working day (one or more DSOs).
    CREATE TABLE rota_duty (
      organisation_id uuid NOT NULL,
      duty_date date NOT NULL,
      user_id uuid NOT NULL,
      PRIMARY KEY (organisation_id, duty_date, user_id),
      FOREIGN KEY (organisation_id, duty_date) REFERENCES rota_date (organisation_id, duty_date),
      FOREIGN KEY (organisation_id, user_id) REFERENCES app_user (organisation_id, id)
    );
    CREATE INDEX rota_duty_user_idx ON rota_duty (organisation_id, user_id, duty_date);

    -- Leave or other unavailability: the rota generator skips these DSOs on these dates.
    CREATE TABLE dso_absence (
      organisation_id uuid NOT NULL,
      id uuid NOT NULL,
      user_id uuid NOT NULL,
      starts_on date NOT NULL,
      ends_on date NOT NULL,
      kind text NOT NULL CHECK (kind IN ('leave', 'unavailable')),
      created_by uuid NOT NULL,
      created_at timestamptz NOT NULL,
      submission_key uuid NOT NULL,
      PRIMARY KEY (organisation_id, id),
      UNIQUE (organisation_id, submission_key),
      FOREIGN KEY (organisation_id, user_id) REFERENCES app_user (organisation_id, id),
      FOREIGN KEY (organisation_id, created_by) REFERENCES app_user (organisation_id, id),
      CHECK (ends_on >= starts_on)
    );
    CREATE INDEX dso_absence_dates_idx ON dso_absence (organisation_id, starts_on, ends_on);

    -- Onward agencies (domain.md "Onward agencies"), editable per organisation. Referrals keep
    -- the agency's name as it was, so renaming an agency never rewrites history.
    CREATE TABLE agency (
      organisation_id uuid NOT NULL REFERENCES organisation (id),
      id uuid NOT NULL,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
      active boolean NOT NULL DEFAULT true,
      sort_order integer NOT NULL DEFAULT 0,
      version integer NOT NULL DEFAULT 1,
      PRIMARY KEY (organisation_id, id),
      UNIQUE (organisation_id, name)
    );

    -- In-app notifications. Text is privacy-safe (references and roles, never names or narrative).
    CREATE TABLE notification (
      organisation_id uuid NOT NULL,
      id uuid NOT NULL,
      user_id uuid NOT NULL,
      kind text NOT NULL,
      concern_id uuid,
      text text NOT NULL,
      href text,
      created_at timestamptz NOT NULL,
      read_at timestamptz,
      dedupe_key text,
      PRIMARY KEY (organisation_id, id),
      UNIQUE (organisation_id, dedupe_key),
      FOREIGN KEY (organisation_id, user_id) REFERENCES app_user (organisation_id, id),
      FOREIGN KEY (organisation_id, concern_id) REFERENCES concern (organisation_id, id)
    );
    CREATE INDEX notification_user_idx ON notification (organisation_id, user_id, created_at);
    CREATE INDEX notification_unread_idx ON notification (organisation_id, user_id) WHERE read_at IS NULL;

    -- Every email Kestrel means to send. A row is only ever marked sent after the provider took
    -- it; failures are retried with back-off, so nothing is lost when a provider is down.
    CREATE TABLE email_outbox (
      organisation_id uuid NOT NULL REFERENCES organisation (id),
      id uuid NOT NULL,
      to_address text NOT NULL,
      kind text NOT NULL,
      subject text NOT NULL,
      body text NOT NULL,
      personalisation jsonb NOT NULL DEFAULT '{}'::jsonb,
      status text NOT NULL CHECK (status IN ('pending', 'held', 'sent', 'failed')),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL,
      claimed_until timestamptz,
      last_error text,
      provider text,
      provider_reference text,
      created_at timestamptz NOT NULL,
      sent_at timestamptz,
      dedupe_key text,
      PRIMARY KEY (organisation_id, id),
      UNIQUE (organisation_id, dedupe_key)
    );
    CREATE INDEX email_outbox_due_idx ON email_outbox (next_attempt_at) WHERE status = 'pending';
    CREATE INDEX email_outbox_list_idx ON email_outbox (organisation_id, created_at);

    -- How each organisation sends email: kept in the outbox (demo), SMTP (from the environment)
    -- or GOV.UK Notify (API key and one template per kind of message).
    CREATE TABLE organisation_notification_setting (
      organisation_id uuid PRIMARY KEY REFERENCES organisation (id),
      email_delivery text NOT NULL DEFAULT 'outbox' CHECK (email_delivery IN ('outbox', 'smtp', 'notify')),
      notify_api_key text,
      notify_templates jsonb NOT NULL DEFAULT '{}'::jsonb,
      version integer NOT NULL DEFAULT 1,
      updated_at timestamptz NOT NULL
    );

    -- The job schedule, shared by every app instance (global, like http_session: jobs belong to
    -- the installation). A run is claimed by taking a lease on the row (FOR UPDATE SKIP LOCKED),
    -- so two instances never run the same job at once.
    CREATE TABLE scheduled_job (
      name text PRIMARY KEY,
      next_run_at timestamptz NOT NULL,
      lease_owner text,
      lease_expires_at timestamptz,
      last_started_at timestamptz,
      last_finished_at timestamptz,
      last_outcome text CHECK (last_outcome IN ('success', 'failure')),
      last_error text,
      run_count integer NOT NULL DEFAULT 0
    );

    INSERT INTO agency (organisation_id, id, name, sort_order)
    SELECT o.id, gen_random_uuid(), a.name, a.ord
    FROM organisation o
    CROSS JOIN unnest(ARRAY[
      'Adult Social Care', 'Children’s Social Care (MASH)', 'Police', 'Domestic abuse link worker',
      'Children and Family Wellbeing Service (early help)', 'Action Fraud', 'MARAC', 'Prevent/Channel',
      'GP or health service', 'Fire and Rescue (safe and well visit)', 'Housing options', 'LADO', 'Other'
    ]) WITH ORDINALITY AS a(name, ord);
  `.execute(db)
}

export async function down(): Promise<void> {
  throw new Error('Kestrel migrations are forward-only: restore a backup to go back.')
}
