import { sql, type Kysely } from 'kysely'

/**
 * Multi-factor sign-in: each organisation's security setting, each person's authenticator secret
 * (encrypted by the application, never stored in clear) and their single-use recovery codes
 * (stored as argon2id hashes).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE organisation_security_setting (
      organisation_id uuid PRIMARY KEY REFERENCES organisation (id),
      mfa_required boolean NOT NULL DEFAULT true,
      version integer NOT NULL DEFAULT 1,
      updated_at timestamptz NOT NULL DEFAULT now(),
      updated_by uuid,
      FOREIGN KEY (organisation_id, updated_by) REFERENCES app_user (organisation_id, id)
    );
    -- Organisations that existed before this release keep signing in as they did until an
    -- administrator turns the requirement on; organisations created from now on start with it on.
    INSERT INTO organisation_security_setting (organisation_id, mfa_required)
    SELECT id, false FROM organisation;

    -- One authenticator per person. enabled_at is null while they are still setting it up.
    -- last_time_step is the TOTP time step of the last code accepted: a code is never accepted twice.
    CREATE TABLE user_mfa (
      organisation_id uuid NOT NULL,
      user_id uuid NOT NULL,
      secret_ciphertext text NOT NULL,
      enabled_at timestamptz,
      last_time_step bigint,
      created_at timestamptz NOT NULL,
      PRIMARY KEY (organisation_id, user_id),
      FOREIGN KEY (organisation_id, user_id) REFERENCES app_user (organisation_id, id)
    );

    CREATE TABLE mfa_recovery_code (
      organisation_id uuid NOT NULL,
      id uuid NOT NULL,
      user_id uuid NOT NULL,
      code_hash text NOT NULL,
      created_at timestamptz NOT NULL,
      used_at timestamptz,
      PRIMARY KEY (organisation_id, id),
      FOREIGN KEY (organisation_id, user_id) REFERENCES app_user (organisation_id, id)
    );
    CREATE INDEX mfa_recovery_code_unused_idx ON mfa_recovery_code (organisation_id, user_id) WHERE used_at IS NULL;
  `.execute(db)
}

export async function down(): Promise<void> {
  throw new Error('Kestrel migrations are forward-only: restore a backup to go back.')
}
