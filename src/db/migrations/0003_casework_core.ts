import { sql, type Kysely } from 'kysely'

/**
 * The case-work core that triage, the case record, reviews and reporting all build on: who is
 * working the concern, the initial decision that stops the clock, onward referrals to agencies,
 * and the chronology of significant events.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE concern
      ADD COLUMN lead_dso_id uuid,
      ADD COLUMN second_dso_id uuid,
      ADD COLUMN allocated_at timestamptz,
      ADD COLUMN allocated_by uuid,
      ADD COLUMN risk_level text CHECK (risk_level IN ('low', 'medium', 'high', 'immediate')),
      ADD COLUMN confirmed_types text[],
      ADD COLUMN decision text CHECK (decision IN ('onward_referral', 'advice_and_guidance', 'no_further_action', 'already_known_to_agency')),
      ADD COLUMN decision_rationale text,
      ADD COLUMN decided_by uuid,
      ADD COLUMN second_agreed_at timestamptz,
      ADD COLUMN second_agreement_method text CHECK (second_agreement_method IN ('confirmed_in_kestrel', 'recorded_by_lead')),
      ADD COLUMN second_agreement_note text,
      ADD COLUMN delay_reason text,
      ADD COLUMN restricted boolean NOT NULL DEFAULT false,
      ADD COLUMN source_of_risk text,
      ADD COLUMN ready_for_closure_at timestamptz,
      ADD COLUMN closure_requested_at timestamptz,
      ADD COLUMN closure_requested_by uuid,
      ADD COLUMN closing_summary text,
      ADD COLUMN sac_outcome text,
      ADD COLUMN risk_outcome text CHECK (risk_outcome IN ('risk_remained', 'risk_reduced', 'risk_removed')),
      ADD COLUMN msp_asked text,
      ADD COLUMN msp_achieved text CHECK (msp_achieved IN ('fully', 'partially', 'not')),
      ADD COLUMN closure_approved_by uuid,
      ADD COLUMN reopened_count integer NOT NULL DEFAULT 0,
      ADD CONSTRAINT concern_lead_fk FOREIGN KEY (organisation_id, lead_dso_id) REFERENCES app_user (organisation_id, id),
      ADD CONSTRAINT concern_second_fk FOREIGN KEY (organisation_id, second_dso_id) REFERENCES app_user (organisation_id, id),
      ADD CONSTRAINT concern_lead_not_second CHECK (lead_dso_id IS NULL OR second_dso_id IS NULL OR lead_dso_id <> second_dso_id),
      ADD CONSTRAINT concern_decision_has_rationale CHECK (decision IS NULL OR (decision_rationale IS NOT NULL AND addressed_at IS NOT NULL));

    CREATE INDEX concern_lead_idx ON concern (organisation_id, lead_dso_id, status);
    CREATE INDEX concern_second_idx ON concern (organisation_id, second_dso_id, status);
    CREATE INDEX concern_addressed_idx ON concern (organisation_id, addressed_at);

    -- Every allocation and reallocation, newest last; the concern row holds the current one.
    CREATE TABLE concern_allocation (
      organisation_id uuid NOT NULL,
      id uuid NOT NULL,
      concern_id uuid NOT NULL,
      lead_dso_id uuid NOT NULL,
      second_dso_id uuid NOT NULL,
      allocated_by uuid NOT NULL,
      allocated_at timestamptz NOT NULL,
      reason text,
      PRIMARY KEY (organisation_id, id),
      FOREIGN KEY (organisation_id, concern_id) REFERENCES concern (organisation_id, id),
      FOREIGN KEY (organisation_id, lead_dso_id) REFERENCES app_user (organisation_id, id),
      FOREIGN KEY (organisation_id, second_dso_id) REFERENCES app_user (organisation_id, id),
      FOREIGN KEY (organisation_id, allocated_by) REFERENCES app_user (organisation_id, id),
      CHECK (lead_dso_id <> second_dso_id)
    );
    CREATE INDEX concern_allocation_concern_idx ON concern_allocation (organisation_id, concern_id, allocated_at);

    CREATE TABLE onward_referral (
      organisation_id uuid NOT NULL,
      id uuid NOT NULL,
      concern_id uuid NOT NULL,
      agency text NOT NULL,
      agency_other text,
      made_at timestamptz NOT NULL,
      method text NOT NULL CHECK (method IN ('phone', 'email', 'portal', 'form', 'in_person', 'other')),
      contact text,
      agency_reference text,
      consent text NOT NULL CHECK (consent IN ('given', 'refused_referred', 'not_sought')),
      consent_reason text,
      information_shared text,
      follow_up_on date,
      outcome text CHECK (outcome IN ('accepted', 'no_further_action', 'signposted', 'already_open', 'other')),
      outcome_note text,
      outcome_recorded_at timestamptz,
      outcome_recorded_by uuid,
      created_by uuid NOT NULL,
      created_at timestamptz NOT NULL,
      submission_key uuid NOT NULL,
      version integer NOT NULL DEFAULT 1,
      PRIMARY KEY (organisation_id, id),
      UNIQUE (organisation_id, submission_key),
      FOREIGN KEY (organisation_id, concern_id) REFERENCES concern (organisation_id, id),
      FOREIGN KEY (organisation_id, created_by) REFERENCES app_user (organisation_id, id),
      CHECK (consent = 'given' OR consent_reason IS NOT NULL)
    );
    CREATE INDEX onward_referral_concern_idx ON onward_referral (organisation_id, concern_id);
    CREATE INDEX onward_referral_follow_up_idx ON onward_referral (organisation_id, follow_up_on) WHERE outcome IS NULL;

    -- Significant events, automatic (every transition) and manual. Append-only: a correction is a
    -- new entry pointing at the one it corrects.
    CREATE TABLE chronology_entry (
      organisation_id uuid NOT NULL,
      id uuid NOT NULL,
      concern_id uuid NOT NULL,
      occurred_at timestamptz NOT NULL,
      recorded_at timestamptz NOT NULL,
      recorded_by uuid,
      kind text NOT NULL CHECK (kind IN ('system', 'manual')),
      category text NOT NULL,
      summary text NOT NULL,
      significant boolean NOT NULL DEFAULT false,
      corrects_id uuid,
      PRIMARY KEY (organisation_id, id),
      FOREIGN KEY (organisation_id, concern_id) REFERENCES concern (organisation_id, id),
      FOREIGN KEY (organisation_id, corrects_id) REFERENCES chronology_entry (organisation_id, id)
    );
    CREATE INDEX chronology_entry_concern_idx ON chronology_entry (organisation_id, concern_id, occurred_at);

    -- Restricted cases: only the people named here (and break-glass access, audited) may open them.
    CREATE TABLE concern_access (
      organisation_id uuid NOT NULL,
      concern_id uuid NOT NULL,
      user_id uuid NOT NULL,
      granted_by uuid NOT NULL,
      granted_at timestamptz NOT NULL,
      PRIMARY KEY (organisation_id, concern_id, user_id),
      FOREIGN KEY (organisation_id, concern_id) REFERENCES concern (organisation_id, id),
      FOREIGN KEY (organisation_id, user_id) REFERENCES app_user (organisation_id, id)
    );

    -- The person index: people a concern is about (and others involved), matched across concerns.
    CREATE TABLE person (
      organisation_id uuid NOT NULL,
      id uuid NOT NULL,
      name text NOT NULL,
      other_names text,
      date_of_birth date,
      age_years integer,
      address text,
      postcode text,
      merged_into_id uuid,
      created_at timestamptz NOT NULL,
      version integer NOT NULL DEFAULT 1,
      PRIMARY KEY (organisation_id, id),
      FOREIGN KEY (organisation_id, merged_into_id) REFERENCES person (organisation_id, id)
    );
    CREATE INDEX person_dob_idx ON person (organisation_id, date_of_birth);
    CREATE INDEX person_postcode_idx ON person (organisation_id, postcode);

    CREATE TABLE concern_person (
      organisation_id uuid NOT NULL,
      concern_id uuid NOT NULL,
      person_id uuid NOT NULL,
      role text NOT NULL CHECK (role IN ('subject', 'household', 'alleged_responsible')),
      linked_by uuid,
      linked_at timestamptz NOT NULL,
      PRIMARY KEY (organisation_id, concern_id, person_id, role),
      FOREIGN KEY (organisation_id, concern_id) REFERENCES concern (organisation_id, id),
      FOREIGN KEY (organisation_id, person_id) REFERENCES person (organisation_id, id)
    );
    CREATE INDEX concern_person_person_idx ON concern_person (organisation_id, person_id);

    CREATE FUNCTION chronology_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'chronology_entry is append-only (% refused)', TG_OP;
    END
    $$;
    CREATE TRIGGER chronology_entry_no_change BEFORE UPDATE OR DELETE ON chronology_entry
      FOR EACH ROW EXECUTE FUNCTION chronology_is_append_only();
  `.execute(db)
}

export async function down(): Promise<void> {
  throw new Error('Kestrel migrations are forward-only: restore a backup to go back.')
}
