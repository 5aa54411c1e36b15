from django.db import migrations, models

# docs/ARCHIVE.md "Audit chain" and "Database roles".
# - chain_version: rows written so far are version 1 (plain SHA-256) and keep verifying;
#   new rows are version 2 (HMAC with the audit key, which is not in the database).
# - TRUNCATE: the GUC escape of 0007 is gone. The runtime role has no TRUNCATE privilege
#   at all; the schema owner (migrations, maintenance, the test runner's flush) may, since
#   it could drop the trigger anyway and the keyed chain and its anchors show any loss.
# - INSERT: only the owner may write an unkeyed (version 1) row (a restore of old rows);
#   the application cannot append rows that skip the key.
SQL = """
CREATE OR REPLACE FUNCTION accounts_auditevent_no_truncate() RETURNS trigger AS $$
BEGIN
    IF pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE') THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'accounts_auditevent is append-only: TRUNCATE is not allowed'
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION accounts_auditevent_keyed_insert() RETURNS trigger AS $$
BEGIN
    IF NEW.chain_version < 2
       AND NOT pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE') THEN
        RAISE EXCEPTION 'accounts_auditevent: new events must be keyed (chain version 2)'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER accounts_auditevent_keyed_insert
    BEFORE INSERT ON accounts_auditevent
    FOR EACH ROW EXECUTE FUNCTION accounts_auditevent_keyed_insert();
"""

REVERSE = """
DROP TRIGGER IF EXISTS accounts_auditevent_keyed_insert ON accounts_auditevent;
DROP FUNCTION IF EXISTS accounts_auditevent_keyed_insert();
CREATE OR REPLACE FUNCTION accounts_auditevent_no_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'accounts_auditevent is append-only: TRUNCATE is not allowed'
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


class Migration(migrations.Migration):
    dependencies = [("accounts", "0007_audit_no_truncate")]
    operations = [
        # Existing rows get 1 (ADD COLUMN with a constant default rewrites no row, so the
        # UPDATE trigger does not fire); the model's default for new rows is 2.
        migrations.AddField(
            model_name="auditevent",
            name="chain_version",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="версия цепочки"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="chain_version",
            field=models.PositiveSmallIntegerField(default=2, verbose_name="версия цепочки"),
        ),
        migrations.RunSQL(SQL, REVERSE),
    ]
