from django.db import migrations

# TRUNCATE skips row triggers, so the append-only guard of 0002 needs a statement
# trigger of its own. Django's `flush` (test teardown, demo reset) wipes every table
# on purpose; accounts' flush command sets the transaction-local flag checked here.
SQL = """
CREATE OR REPLACE FUNCTION accounts_auditevent_no_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('ejournal.audit_truncate', true) = 'allow' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'accounts_auditevent is append-only: TRUNCATE is not allowed'
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER accounts_auditevent_no_truncate
    BEFORE TRUNCATE ON accounts_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION accounts_auditevent_no_truncate();
"""

REVERSE = """
DROP TRIGGER IF EXISTS accounts_auditevent_no_truncate ON accounts_auditevent;
DROP FUNCTION IF EXISTS accounts_auditevent_no_truncate();
"""


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_field_verbose_names")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
