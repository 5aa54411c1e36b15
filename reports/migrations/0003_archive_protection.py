from django.db import migrations

# docs/ARCHIVE.md "Year archive": nothing deletes an archive item before its term, and
# what identifies its file (path, checksum, size, kind, class, period, term: only longer)
# never changes; a signature is set once. Whoever runs the statement, the owner too.
SQL = """
CREATE OR REPLACE FUNCTION reports_archiveitem_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.retain_until >= current_date THEN
            RAISE EXCEPTION 'archive item % is kept until %: it cannot be deleted', OLD.id, OLD.retain_until
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN OLD;
    END IF;
    IF NEW.path <> OLD.path OR NEW.sha256 <> OLD.sha256 OR NEW.size <> OLD.size OR NEW.kind <> OLD.kind
       OR NEW.school_id <> OLD.school_id OR NEW.school_class_id <> OLD.school_class_id
       OR NEW.period_id <> OLD.period_id OR NEW.run_id <> OLD.run_id OR NEW.created_at <> OLD.created_at
       OR NEW.retain_until < OLD.retain_until THEN
        RAISE EXCEPTION 'archive item %: its file, checksum and term cannot be changed', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.signed_path <> '' AND (NEW.signed_path <> OLD.signed_path OR NEW.signed_sha256 <> OLD.signed_sha256
       OR NEW.signed_at IS DISTINCT FROM OLD.signed_at OR NEW.signed_by_id IS DISTINCT FROM OLD.signed_by_id) THEN
        RAISE EXCEPTION 'archive item %: the signature cannot be changed', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER reports_archiveitem_guard
    BEFORE UPDATE OR DELETE ON reports_archiveitem
    FOR EACH ROW EXECUTE FUNCTION reports_archiveitem_guard();

CREATE OR REPLACE FUNCTION reports_archiveitem_no_truncate() RETURNS trigger AS $$
BEGIN
    IF pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE') THEN
        RETURN NULL;  -- the owner (the test runner's flush); the runtime role has no TRUNCATE
    END IF;
    RAISE EXCEPTION 'reports_archiveitem: TRUNCATE is not allowed' USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER reports_archiveitem_no_truncate
    BEFORE TRUNCATE ON reports_archiveitem
    FOR EACH STATEMENT EXECUTE FUNCTION reports_archiveitem_no_truncate();
"""

REVERSE = """
DROP TRIGGER IF EXISTS reports_archiveitem_guard ON reports_archiveitem;
DROP FUNCTION IF EXISTS reports_archiveitem_guard();
DROP TRIGGER IF EXISTS reports_archiveitem_no_truncate ON reports_archiveitem;
DROP FUNCTION IF EXISTS reports_archiveitem_no_truncate();
"""


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_archive")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
