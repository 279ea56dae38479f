namespace Gateway.Audit;

/// <summary>
/// One audit entry. <see cref="Kind"/>: created, rotated, revoked, expired, login_failed, remember_theft.
/// <see cref="Detail"/> says how (basic, form, json, remember) or why (self, admin, cap, password, binding,
/// theft, idle, absolute, wrong_password...). Never a password or a session id: only the short handle.
/// </summary>
internal sealed record AuditEvent(DateTimeOffset Time, string Kind, string User, string? Handle, string? Detail, string? By, string? Ip)
{
    /// <summary>
    /// A security event (kept in its own stream, see <see cref="Configuration.AuditOptions"/>): anything but the
    /// lifecycle a user drives alone, that is sessions created, rotated, expired, and ended by their own user (logout,
    /// a login replacing the cookie's session) or by their own logins (the cap, a token revoked meanwhile, an answer
    /// that failed). Failed logins, theft and revocations by an administrator, the CLI, the users file or a binding are
    /// security events; so is any kind added later, until it is classed as lifecycle here.
    /// </summary>
    public bool IsSecurity => Kind switch
    {
        "created" or "rotated" or "expired" => false,
        "revoked" => By != User && Detail is not ("cap" or "remember_revoked" or "undelivered"),
        _ => true,
    };
}
