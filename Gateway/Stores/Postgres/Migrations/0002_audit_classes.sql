-- Security events and the session lifecycle are capped apart (Gateway:Audit:MaxSecurityEntries, MaxEntries), so one
-- user's logins and logouts cannot evict another's failed logins. Existing rows are classed by AuditEvent.IsSecurity's
-- rule; the default (security) only keeps a row longer.
ALTER TABLE audit_event ADD COLUMN security boolean NOT NULL DEFAULT true;
UPDATE audit_event SET security = false
WHERE kind IN ('created', 'rotated', 'expired')
   OR (kind = 'revoked' AND (actor IS NOT DISTINCT FROM username OR coalesce(detail, '') IN ('cap', 'remember_revoked', 'undelivered')));
CREATE INDEX audit_event_class ON audit_event (security, id);
