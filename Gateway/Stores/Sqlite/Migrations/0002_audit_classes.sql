-- Security events and the session lifecycle are capped apart (Gateway:Audit:MaxSecurityEntries, MaxEntries), so one
-- user's logins and logouts cannot evict another's failed logins. Existing rows are classed by AuditEvent.IsSecurity's
-- rule; the default (security) only keeps a row longer.
ALTER TABLE audit_event ADD COLUMN security INTEGER NOT NULL DEFAULT 1;
UPDATE audit_event SET security = 0
WHERE kind IN ('created', 'rotated', 'expired')
   OR (kind = 'revoked' AND (by_user IS username OR coalesce(detail, '') IN ('cap', 'remember_revoked', 'undelivered')));
CREATE INDEX audit_event_class ON audit_event (security, id);
