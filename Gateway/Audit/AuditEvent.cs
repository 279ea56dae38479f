namespace Gateway.Audit;

/// <summary>
/// One audit entry. <see cref="Kind"/>: created, rotated, revoked, expired, login_failed, remember_theft.
/// <see cref="Detail"/> says how (basic, form, json, remember) or why (self, admin, cap, password, binding,
/// theft, idle, absolute, wrong_password...). Never a password or a session id: only the short handle.
/// </summary>
internal sealed record AuditEvent(DateTimeOffset Time, string Kind, string User, string? Handle, string? Detail, string? By, string? Ip);
